package org.dtls4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;
import org.dtls4j.tck.TckRun;
import org.dtls4j.tck.broken.BrokenProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The TCK can fail: each deliberately broken wrapper of the JSSE provider (or, for a breakage
 * of a capability JSSE lacks, of a provider that declares it) must fail exactly the TCK tests
 * that the breakage names (see the TCK README).
 *
 * <p>It lives here, not in the tck's own tests, because it needs a working provider and a
 * tck test dependency on one would make a Maven cycle (tck -> provider -> tck); this module
 * already depends on both.
 *
 * <p>Most of a run is spent waiting for the TCK's deadlines to pass, so all breakages are
 * run at once, each on its own thread, before the cases check their outcome.
 */
class BrokenProvidersTest {

    /** The provider the nested TCK class runs against, per thread. */
    private static final ThreadLocal<DtlsProvider> UNDER_TEST = new ThreadLocal<>();
    private static final Map<BrokenProviders.Breakage, CompletableFuture<Outcome>> OUTCOMES =
            new EnumMap<>(BrokenProviders.Breakage.class);
    private static ExecutorService pool;

    /** The TCK on a broken provider; nested, so surefire does not run it on its own. */
    public static final class BrokenJsse implements DtlsTck {
        @Override
        public DtlsProvider provider() {
            return UNDER_TEST.get();
        }
    }

    private record Outcome(List<String> passed, List<String> failed, List<Throwable> failures) {
    }

    @BeforeAll
    static void runTheTckOnEveryBreakage() {
        DtlsProvider jsse = Providers.available("jsse"); // the breakages wrap JSSE: without it, skipped
        BrokenProviders.Breakage[] all = BrokenProviders.Breakage.values();
        pool = Executors.newFixedThreadPool(all.length, r -> new Thread(r, "broken-provider-tck"));
        for (BrokenProviders.Breakage b : all) {
            DtlsProvider base = base(b, jsse);
            OUTCOMES.put(b, base == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> run(b, base), pool));
        }
    }

    /** JSSE, or the first available provider that declares what the breakage needs; null if none does. */
    private static DtlsProvider base(BrokenProviders.Breakage b, DtlsProvider jsse) {
        if (jsse.capabilities().containsAll(b.needs())) {
            return jsse;
        }
        return org.dtls4j.Dtls.providers().stream()
                .filter(p -> p.availability().isAvailable() && p.capabilities().containsAll(b.needs()))
                .findFirst().orElse(null);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pool == null) {
            return; // skipped: no JSSE in this build
        }
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(BrokenProviders.Breakage.class)
    void theTckCatchesEachBreakage(BrokenProviders.Breakage breakage) {
        Outcome o = OUTCOMES.get(breakage).join();
        org.junit.jupiter.api.Assumptions.assumeTrue(o != null, () -> "no provider here declares " + breakage.needs());
        assertThat(o.passed).as("%s must be caught by %s", breakage, breakage.caughtBy()).isEmpty();
        assertThat(o.failed).as("%s: the tests that ran", breakage)
                .containsExactlyInAnyOrderElementsOf(breakage.caughtBy());
        for (Throwable t : o.failures) {
            assertThat(t).as("%s: each must fail an assertion, not crash: %s", breakage,
                    org.assertj.core.util.Throwables.getStackTrace(t)).isInstanceOf(AssertionError.class);
        }
    }

    private static Outcome run(BrokenProviders.Breakage breakage, DtlsProvider jsse) {
        UNDER_TEST.set(breakage.apply(jsse));
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(breakage.caughtBy().stream().map(m -> selectMethod(BrokenJsse.class, m, TckRun.class.getName())).toList())
                    .build();
            Outcome o = new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            LauncherFactory.create().execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (!id.isTest()) {
                        return;
                    }
                    String name = id.getDisplayName().replaceAll("\\(.*", "");
                    (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? o.passed : o.failed).add(name);
                    result.getThrowable().ifPresent(o.failures::add);
                }
            });
            return o;
        } finally {
            UNDER_TEST.remove();
        }
    }
}
