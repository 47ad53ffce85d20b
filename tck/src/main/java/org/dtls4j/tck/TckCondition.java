package org.dtls4j.tck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * One run's view of its tests: hands each a {@link TckRun}, skips those whose providers are
 * unavailable here, lack a capability the test needs or whose rule belongs to another
 * version (and says which and why), and prefixes each failure with the test's rule id
 * (a failure that is no assertion becomes a {@link RuleFailure}).
 */
final class TckCondition implements ExecutionCondition, ParameterResolver, TestExecutionExceptionHandler {

    private final DtlsProvider client;
    private final DtlsProvider server;
    private final ProtocolVersion version;

    TckCondition(DtlsProvider client, DtlsProvider server, ProtocolVersion version) {
        this.client = client;
        this.server = server;
        this.version = version;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Set<DtlsProvider> providers = new LinkedHashSet<>(List.of(client, server));
        for (DtlsProvider p : providers) {
            if (!p.availability().isAvailable()) {
                return ConditionEvaluationResult.disabled("provider '" + p.name() + "' is unavailable here: "
                        + p.availability().reason().orElse("no reason given"));
            }
        }
        Optional<Method> method = context.getTestMethod();
        if (method.isEmpty()) {
            return ConditionEvaluationResult.enabled("evaluated per test");
        }
        List<Capability> needed = new ArrayList<>();
        AnnotationSupport.findAnnotation(method.get(), RequiresCapability.class).ifPresent(a -> needed.addAll(List.of(a.value())));
        // A contract interface's annotation gates only the tests it declares, not every test
        // of a class that implements it alongside other contracts.
        AnnotationSupport.findAnnotation(method.get().getDeclaringClass(), RequiresCapability.class)
                .ifPresent(a -> needed.addAll(List.of(a.value())));
        for (Capability c : needed) {
            for (DtlsProvider p : providers) {
                if (!p.capabilities().contains(c)) {
                    return ConditionEvaluationResult.disabled("provider '" + p.name() + "' does not declare " + c);
                }
            }
        }
        Optional<ForVersions> only = AnnotationSupport.findAnnotation(method.get(), ForVersions.class)
                .or(() -> AnnotationSupport.findAnnotation(method.get().getDeclaringClass(), ForVersions.class));
        if (only.isPresent() && !List.of(only.get().value()).contains(version)) {
            return ConditionEvaluationResult.disabled("a rule of " + List.of(only.get().value()) + " only, not of "
                    + version + ": " + only.get().why());
        }
        return ConditionEvaluationResult.enabled("providers available with the capabilities and version needed");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TckRun.class;
    }

    @Override
    public TckRun resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new TckRun(context.getRequiredTestMethod().getName(), version, client, server);
    }

    /**
     * Prefixes every failure with the test's rule id and run: a failed assertion stays an
     * {@link AssertionError}; anything else becomes a {@link RuleFailure} whose cause is the
     * original. An aborted test ({@link TestAbortedException}) passes unchanged.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Optional<RuleId> id = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, RuleId.class));
        if (id.isEmpty() || failure instanceof TestAbortedException) {
            throw failure;
        }
        // The run goes in too: Surefire's failure summary names a test's run by index only.
        String prefix = "[" + id.get().value() + ", " + TckRuns.describe(client, server, version) + "]";
        if (!(failure instanceof AssertionError)) {
            throw new RuleFailure(prefix, failure);
        }
        AssertionError tagged = new AssertionError(prefix + " " + failure.getMessage(), failure);
        tagged.setStackTrace(failure.getStackTrace());
        throw tagged;
    }
}
