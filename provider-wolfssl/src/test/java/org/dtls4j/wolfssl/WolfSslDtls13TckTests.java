package org.dtls4j.wolfssl;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;
import org.dtls4j.tck.RuleId;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole TCK against the wolfSSL provider with DTLS 1.3 declared, so that both versions
 * run; the provider ServiceLoader makes does not declare 1.3 yet (see {@link WolfSslProvider}).
 * In the DTLS 1.3 run, the rules that cannot pass for reasons outside this module are skipped,
 * each with its reason ({@link Dtls13Blockers}); every other rule of both versions runs.
 */
@ExtendWith(WolfSslDtls13TckTests.Dtls13Blockers.class)
class WolfSslDtls13TckTests implements DtlsTck {

    @Override
    public DtlsProvider provider() {
        return new WolfSslProvider(true);
    }

    /** Skips, in DTLS 1.3 runs only, the rules blocked outside this module, naming the blocker. */
    static final class Dtls13Blockers implements ExecutionCondition {

        private static final String LISTENER = "api: the listener drops a DTLS 1.3 ClientHello (DropReason.NO_HELLO_RETRY)"
                + " until the context implements spi.HelloRetryCookies, so the cookie travels in wolfSSL's"
                + " HelloRetryRequest: not written yet (issue 11)";
        private static final String SUITES = "api/TCK: DtlsConfig has no TLS 1.3 suites (its defaults are 1.2 suites,"
                + " so this provider adds RFC 8446's three), and the rule expects a 1.2 suite of the certificate's key"
                + " type or one that was configured";
        private static final String MIN_RTX = "wolfSSL 5.9.2: DTLS 1.3 retransmits at most once a second"
                + " (Dtls13RtxSendBuffered: DTLS13_MIN_RTX_INTERVAL = DTLS_TIMEOUT_INIT * 1000 ms, compile-time);"
                + " wolfSSL_dtls_got_timeout returns success and sends nothing in between";
        private static final Map<String, String> RULES = Map.of(
                "HS-1", SUITES, "HS-2", SUITES, "HS-4", SUITES, "HS-5", SUITES,
                "RT-2", MIN_RTX, "RT-4", MIN_RTX);

        /** The rules that need the listener's DTLS 1.3 cookie exchange (the others pass). */
        private static final Set<String> THROUGH_THE_LISTENER = Set.of(
                "floodOfCookielessClientHellosCreatesNoSession",
                "fiftyConcurrentClientsEachEchoAHundredTaggedRecordsOnOneSocket",
                "twentyClientsThroughTheListenerSurviveLossAndDuplication",
                "aClientThatSentItsFirstClientHelloTwiceStillConnects",
                "aRealClientConnectsDuringAFloodOfCookielessClientHellos",
                "clientRestartingOnTheSamePortGetsANewSessionAndTheOldOneIsReleased",
                "closeNotifyThroughTheListenerIsEndOfStream", "fatalAlertFromOnePeerLeavesTheOthersRunning",
                "icmpPortUnreachableNeverEndsASession", "idleTimeoutClosesAndFreesASession",
                "receiveTimeoutLeavesTheConnectionUsable", "serverOnIpv6LoopbackAcceptsClients",
                "smallestDatagramSizeWorksThroughTheListener", "aSecondConnectionThroughTheListenerResumes");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<Method> method = context.getTestMethod();
            if (method.isEmpty() || !isDtls13Run(context)) {
                return ConditionEvaluationResult.enabled("not a DTLS 1.3 test");
            }
            if (THROUGH_THE_LISTENER.contains(method.get().getName())) {
                return ConditionEvaluationResult.disabled(LISTENER);
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
