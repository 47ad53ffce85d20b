package org.dtls4j.tck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips TCK tests whose providers are unavailable here or lack a capability the test
 * needs, and says which and why.
 */
final class TckCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Object> instance = context.getTestInstance();
        if (instance.isEmpty() || !(instance.get() instanceof TckTarget target)) {
            return ConditionEvaluationResult.enabled("evaluated per test");
        }
        Set<DtlsProvider> providers = new LinkedHashSet<>(List.of(target.clientProvider(), target.serverProvider()));
        for (DtlsProvider p : providers) {
            if (!p.availability().isAvailable()) {
                return ConditionEvaluationResult.disabled("provider '" + p.name() + "' is unavailable here: "
                        + p.availability().reason().orElse("no reason given"));
            }
        }
        List<Capability> needed = new ArrayList<>();
        context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, RequiresCapability.class))
                .ifPresent(a -> needed.addAll(List.of(a.value())));
        // A contract interface's annotation gates only the tests it declares, not every test
        // of a class that implements it alongside other contracts.
        context.getTestMethod().map(java.lang.reflect.Method::getDeclaringClass)
                .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresCapability.class))
                .ifPresent(a -> needed.addAll(List.of(a.value())));
        for (Capability c : needed) {
            for (DtlsProvider p : providers) {
                if (!p.capabilities().contains(c)) {
                    return ConditionEvaluationResult.disabled("provider '" + p.name() + "' does not declare " + c);
                }
            }
        }
        return ConditionEvaluationResult.enabled("providers available with the capabilities needed");
    }
}
