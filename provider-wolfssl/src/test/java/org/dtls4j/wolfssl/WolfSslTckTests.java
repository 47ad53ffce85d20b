package org.dtls4j.wolfssl;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;
import org.dtls4j.tck.RuleId;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole TCK against the wolfSSL provider, both ends, once per version it declares (DTLS
 * 1.2 and 1.3). In the DTLS 1.3 run, the rules that cannot pass for reasons outside this
 * module are skipped, each with its reason ({@link Dtls13Blockers}); every other rule of both
 * versions runs.
 */
@ExtendWith(WolfSslTckTests.Dtls13Blockers.class)
class WolfSslTckTests implements DtlsTck {

    @Override
    public DtlsProvider provider() {
        return new WolfSslProvider();
    }

    /** Skips, in DTLS 1.3 runs only, the rules blocked outside this module, naming the blocker. */
    static final class Dtls13Blockers implements ExecutionCondition {

        private static final String SUITES = "api/TCK: DtlsConfig has no TLS 1.3 suites (its defaults are 1.2 suites,"
                + " so this provider adds RFC 8446's three), and the rule expects a 1.2 suite of the certificate's key"
                + " type or one that was configured";
        private static final String MIN_RTX = "wolfSSL 5.9.2: DTLS 1.3 retransmits at most once a second"
                + " (Dtls13RtxSendBuffered: DTLS13_MIN_RTX_INTERVAL = DTLS_TIMEOUT_INIT * 1000 ms, compile-time);"
                + " wolfSSL_dtls_got_timeout returns success and sends nothing in between";
        private static final Map<String, String> RULES = Map.of(
                "HS-1", SUITES, "HS-2", SUITES, "HS-4", SUITES, "HS-5", SUITES,
                "RT-2", MIN_RTX, "RT-4", MIN_RTX);

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<Method> method = context.getTestMethod();
            if (method.isEmpty() || !isDtls13Run(context)) {
                return ConditionEvaluationResult.enabled("not a DTLS 1.3 test");
            }
            RuleId id = method.get().getAnnotation(RuleId.class);
            String why = id == null ? null : RULES.get(id.value());
            return why == null ? ConditionEvaluationResult.enabled("runs") : ConditionEvaluationResult.disabled(why);
        }

        private static boolean isDtls13Run(ExtensionContext context) {
            for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
                if (c.get().getDisplayName().contains("DTLSv1.3")) {
                    return true;
                }
            }
            return false;
        }
    }
}
