package org.dtls4j.wolfssl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.dtls4j.spi.Availability;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test that needs the native library where none loads, with the provider's reason
 * (which names {@code scripts/wolfssl.sh}): a machine where the script failed still runs the
 * build, as the TCK skips an unavailable provider.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsWolfSsl.Condition.class)
@interface NeedsWolfSsl {

    /** Enabled only when the provider is available. Stateless and thread-safe. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Availability a = WolfSslLibrary.availability();
            return a.isAvailable() ? ConditionEvaluationResult.enabled("wolfSSL loaded from " + WolfSslLibrary.library())
                    : ConditionEvaluationResult.disabled("wolfSSL is unavailable here: " + a.reason().orElse("no reason given"));
        }
    }
}
