package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.dtls4j.CookieAuthority;
import org.dtls4j.DtlsConfig;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.Test;

/**
 * A server session created only after a stateless cookie exchange, as the api's listener
 * does it: the session's first datagram is a ClientHello with message_seq 1 and our cookie
 * ({@link ClientHelloRewriter}).
 */
class CookieExchangeTest {

    @Test
    void withJssesOwnCookieTheClientSeesOneHelloVerifyRequestAndServerHelloNumberedOne() {
        DtlsConfig server = Configs.server().build();
        StatelessListener listener = StatelessListener.sendingBackendCookies(server.cookieAuthority());
        try (Pair p = Pair.withGate(Configs.client().build(), server, listener)) {
            listener.attach(p);
            p.start();
            p.awaitEstablished();
            assertThat(listener.helloVerifyRequests).hasSize(1);
            assertThat(listener.refusedCookies).isZero();
            assertThat(clientHellos(p)).extracting(StatelessListener.ClientHello::messageSeq)
                    .as("one exchange: the first ClientHello and the one with JSSE's cookie").containsExactly(0, 1);
            assertFirstFromSession(p, 2, "the session starts with its ServerHello, numbered 1 as after any single"
                    + " exchange");
            assertRecordsFlowBothWays(p);
        }
    }

    @Test
    void jssesCookieSurvivesALostHelloVerifyRequestAndALostServerFlight() {
        DtlsConfig server = Configs.server().build();
        StatelessListener listener = StatelessListener.sendingBackendCookies(server.cookieAuthority());
        listener.loseFirstHelloVerifyRequests = 2;
        int[] lost = {0};
        try (Pair p = Pair.withGate(Configs.client().build(), server, listener)) {
            listener.attach(p);
            p.filter((from, bytes) -> from == Side.SERVER && bytes[13] == 2 && lost[0]++ < 1);
            p.start();
            p.awaitEstablished();
            assertThat(lost[0]).as("a ServerHello lost, then one through").isGreaterThanOrEqualTo(2);
            assertThat(listener.helloVerifyRequests).as("the first ClientHello, twice resent, answered each time")
                    .hasSize(3);
            assertThat(listener.refusedCookies).isZero();
            assertThat(listener.helloVerifyRequests).extracting(RawCookie::of).as("with the same JSSE cookie")
                    .containsOnly(RawCookie.of(listener.helloVerifyRequests.get(0)));
        }
    }

    @Test
    void aClientSentThroughTwoCookieExchangesStillConnects() {
        for (boolean jssesCookies : new boolean[] {true, false}) {
            DtlsConfig server = Configs.server().build();
            StatelessListener listener = jssesCookies ? StatelessListener.sendingBackendCookies(server.cookieAuthority())
                    : new StatelessListener(server.cookieAuthority());
            listener.spoilFirstCookie = true;
            listener.answerRefusedCookies = true;
            try (Pair p = Pair.withGate(Configs.client().build(), server, listener)) {
                listener.attach(p);
                p.start();
                p.awaitEstablished();
                assertThat(listener.refusedCookies).as("the spoiled cookie").isEqualTo(1);
                assertThat(clientHellos(p)).extracting(StatelessListener.ClientHello::messageSeq)
                        .as("JSSE's cookies: %s", jssesCookies).startsWith(0, 1, 2);
                assertRecordsFlowBothWays(p);
            }
        }
    }

    /** The cookie of a HelloVerifyRequest, as a value. */
    private record RawCookie(String hex) {
        static RawCookie of(byte[] hvr) {
            return new RawCookie(java.util.HexFormat.of().formatHex(hvr, 13 + 12 + 3, hvr.length));
        }
    }

    @Test
    void aServerSessionJoinsTheHandshakeAfterTheListenersCookieExchange() {
        DtlsConfig server = Configs.server().build();
        StatelessListener listener = new StatelessListener(server.cookieAuthority());
        try (Pair p = Pair.withGate(Configs.client().build(), server, listener)) {
            listener.attach(p);
            p.start();
            p.awaitEstablished();
            assertThat(listener.helloVerifyRequests).hasSize(1);
            assertThat(listener.refusedCookies).isZero();
            List<StatelessListener.ClientHello> hellos = clientHellos(p);
            assertThat(hellos).extracting(StatelessListener.ClientHello::messageSeq)
                    .as("our cookie, then JSSE's: one extra round trip").containsExactly(0, 1, 2);
            assertThat(hellos.get(0).cookie()).isEmpty();
            assertThat(hellos.get(1).cookie()).isNotEmpty();
            assertThat(hellos.get(2).cookie()).isNotEmpty().isNotEqualTo(hellos.get(1).cookie());
            assertFirstFromSession(p, 3, "JSSE's own HelloVerifyRequest, with message_seq 1");
            assertRecordsFlowBothWays(p);
        }
    }

    private static List<StatelessListener.ClientHello> clientHellos(Pair p) {
        return p.wire(Side.CLIENT).stream()
                .map(w -> StatelessListener.ClientHello.parse(w.bytes())).filter(h -> h != null).toList();
    }

    /** The session's first datagram holds a handshake message of {@code type} numbered 1. */
    private static void assertFirstFromSession(Pair p, int type, String what) {
        byte[] first = p.wire(Side.SERVER).get(0).bytes();
        assertThat(first[13] & 0xff).as(what).isEqualTo(type);
        assertThat(((first[17] & 0xff) << 8) | (first[18] & 0xff)).as(what).isEqualTo(1);
    }

    private static void assertRecordsFlowBothWays(Pair p) {
        p.client.send(new byte[] {1});
        p.server.send(new byte[] {2});
        p.settle(Duration.ofSeconds(1));
        assertThat(p.server.records()).containsExactly(new byte[] {1});
        assertThat(p.client.records()).containsExactly(new byte[] {2});
    }

    @Test
    void jsseAnswersTheClientHelloWithItsCookieAgainWhenItsHelloVerifyRequestIsLost() {
        DtlsConfig server = Configs.server().build();
        StatelessListener listener = new StatelessListener(server.cookieAuthority());
        int[] lost = {0};
        try (Pair p = Pair.withGate(Configs.client().build(), server, listener)) {
            listener.attach(p);
            p.filter((from, bytes) -> from == Side.SERVER && bytes[13] == 3 && lost[0]++ < 2);
            p.start();
            p.awaitEstablished();
            assertThat(lost[0]).isGreaterThan(2);
        }
    }

    @Test
    void aCookieFromAnotherAuthorityCreatesNoSession() {
        DtlsConfig server = Configs.server().build();
        StatelessListener listener = new StatelessListener(CookieAuthority.hmacSha256());
        StatelessListener verifier = new StatelessListener(server.cookieAuthority());
        try (Pair p = Pair.withGate(Configs.client().build(), server,
                d -> StatelessListener.ClientHello.parse(d) != null
                        && StatelessListener.ClientHello.parse(d).cookie().length > 0
                        ? verifier.test(d) : listener.test(d))) {
            listener.attach(p);
            verifier.attach(p);
            p.start();
            p.runUntil(() -> false, Duration.ofSeconds(2));
            assertThat(verifier.refusedCookies).isPositive();
            assertThat(p.server.session).isNull();
        }
    }

    @Test
    void theJoinedHandshakeSurvivesLossDuplicationAndReordering() {
        for (long seed = 1; seed <= 100; seed++) {
            Random random = new Random(seed);
            DtlsConfig server = Configs.server().handshakeTimeout(Duration.ofSeconds(60)).build();
            StatelessListener listener = new StatelessListener(server.cookieAuthority());
            try (Pair p = Pair.withGate(Configs.client().handshakeTimeout(Duration.ofSeconds(60)).build(), server,
                    listener)) {
                listener.attach(p);
                p.filter((from, bytes) -> random.nextDouble() < 0.25).chaos(random, 0.1, 0.1);
                p.start();
                boolean done = p.runUntil(() -> p.client.info().isPresent() && p.server.info().isPresent(),
                        Duration.ofSeconds(60));
                assertThat(done).as("seed %d%n%s", seed, p.describe()).isTrue();
            }
        }
    }
}
