package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A TCK class runs once per declared version, skips other versions' rules, and tags failures with rule ids. */
class TckRunsTest {

    /** What the runs of {@link Target} saw, in order. */
    private static final List<String> SEEN = new ArrayList<>();

    /** A provider that declares DTLS 1.3; its contexts are never made. */
    static final class Dtls13Provider implements DtlsProvider {
        @Override
        public String name() {
            return "fake13";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability availability() {
            return Availability.available();
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.DTLS_1_3);
        }

        @Override
        public DtlsContext newContext(DtlsConfig config) {
            throw new UnsupportedOperationException("not needed");
        }
    }

    /** A tiny TCK class; nested, so surefire does not run it on its own. */
    public static final class Target implements TckTarget {
        @Override
        public DtlsProvider provider() {
            return new Dtls13Provider();
        }

        @Test
        @RuleId("T-1")
        void seesItsVersion(TckRun run) {
            SEEN.add(run.name() + " " + run.version());
        }

        @Test
        @RuleId("T-2")
        @ForVersions(value = ProtocolVersion.DTLS_1_2, why = "a rule of DTLS 1.2")
        void onlyInDtls12(TckRun run) {
            SEEN.add(run.name() + " " + run.version());
        }

        @Test
        @RuleId("T-3")
        void fails(TckRun run) {
            fail("broken in " + run.version());
        }

        @Test
        @RuleId("T-4")
        void crashes(TckRun run) {
            throw new IllegalStateException("crashed in " + run.version());
        }

        @Test
        @RuleId("T-5")
        void aborts(TckRun run) {
            Assumptions.assumeTrue(false, "not here");
        }
    }

    @Test
    void eachDeclaredVersionRunsEveryRuleOfItsVersionAndFailuresCarryTheRuleId() {
        List<String> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Target.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        skipped.add(id.getDisplayName() + ": " + reason);
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.getDisplayName().startsWith("DTLS")) {
                            runs.add(id.getDisplayName());
                        }
                        result.getThrowable().ifPresent(t -> failures.add(t.getClass().getSimpleName() + ": " + t.getMessage()
                                + (t.getCause() instanceof IllegalStateException c ? " (cause " + c.getMessage() + ")" : "")));
                    }
                });

        assertEquals(List.of("DTLSv1.2", "DTLSv1.3"), runs, "one run per declared version, named by it");
        assertEquals(Set.of("seesItsVersion DTLS_1_2", "onlyInDtls12 DTLS_1_2", "seesItsVersion DTLS_1_3"), Set.copyOf(SEEN),
                "each run hands its tests its version and their names");
        assertEquals(1, skipped.size(), "the DTLS 1.2 rule is skipped in the DTLS 1.3 run: " + skipped);
        assertTrue(skipped.get(0).startsWith("onlyInDtls12: ") && skipped.get(0).contains("a rule of DTLS 1.2"),
                "the skip names the reason: " + skipped);
        assertEquals(List.of("AssertionError: [T-3, DTLSv1.2] broken in DTLS_1_2", "AssertionError: [T-3, DTLSv1.3] broken in DTLS_1_3",
                "RuleFailure: [T-4, DTLSv1.2] java.lang.IllegalStateException: crashed in DTLS_1_2 (cause crashed in DTLS_1_2)",
                "RuleFailure: [T-4, DTLSv1.3] java.lang.IllegalStateException: crashed in DTLS_1_3 (cause crashed in DTLS_1_3)",
                "TestAbortedException: Assumption failed: not here", "TestAbortedException: Assumption failed: not here"),
                failures.stream().sorted().toList(), "a failed assertion stays an assertion and a crash becomes a RuleFailure, each prefixed"
                + " with its rule id and run; an aborted test is not tagged");
    }
}
