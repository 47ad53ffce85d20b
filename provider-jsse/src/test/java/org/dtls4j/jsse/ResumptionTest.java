package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Session resumption between JSSE sessions of the same two contexts: directly, through the
 * api's stateless listener ({@link StatelessListener}), and under loss, duplication and
 * reordering (25%, 10%, 10%).
 */
class ResumptionTest {

    /** Lossy seeds per test; {@code -Ddtls4j.seeds=N} for more. */
    private static final long SEEDS = Long.getLong("dtls4j.seeds", 100);

    private final Pair.VirtualClock clock = new Pair.VirtualClock();
    private final DtlsConfig serverConfig = Configs.server().handshakeTimeout(Duration.ofSeconds(60)).build();
    private final JsseContext client = JsseContext.create("jsse",
            Configs.client().handshakeTimeout(Duration.ofSeconds(60)).build(), clock);
    private final JsseContext server = JsseContext.create("jsse", serverConfig, clock);

    @Test
    void aSecondSessionFromTheSameContextsResumesAndBothSidesSaySo() {
        int full = handshake(c -> Pair.over(c, server, clock), false);
        int resumed = handshake(c -> Pair.over(c, server, clock), true);
        int again = handshake(c -> Pair.over(c, server, clock), true);
        assertThat(resumed).as("an abbreviated handshake is shorter").isLessThan(full).isEqualTo(again);
    }

    @Test
    void anotherClientContextDoesNotResume() {
        handshake(c -> Pair.over(c, server, clock), false);
        try (JsseContext other = JsseContext.create("jsse", Configs.client().build(), clock);
             Pair p = Pair.over(other, server, clock)) {
            p.start();
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().resumed()).isFalse();
            assertThat(p.server.info().orElseThrow().resumed()).isFalse();
        }
    }

    @Test
    void aResumingClientJoinsThroughTheListenersCookieExchange() {
        handshake(this::throughListener, false);
        List<WireEvent> wire = handshakeWire(this::throughListener, true);
        byte[] firstFromSession = wire.stream().filter(w -> w.from() == Side.SERVER).findFirst().orElseThrow()
                .bytes();
        assertThat(firstFromSession[13]).as("JSSE checks the cookie on resumption too: its own HelloVerifyRequest")
                .isEqualTo((byte) 3);
        assertThat(((firstFromSession[17] & 0xff) << 8) | (firstFromSession[18] & 0xff))
                .as("with message_seq 1, after the listener's").isEqualTo(1);
        List<StatelessListener.ClientHello> hellos = wire.stream().filter(w -> w.from() == Side.CLIENT)
                .map(w -> StatelessListener.ClientHello.parse(w.bytes())).filter(h -> h != null).toList();
        assertThat(hellos).extracting(StatelessListener.ClientHello::messageSeq).containsExactly(0, 1, 2);
    }

    @Test
    void resumptionSurvivesLossDuplicationAndReordering() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random random = new Random(seed);
            handshake(c -> Pair.over(c, server, clock), seed > 1);
            try (Pair p = Pair.over(client, server, clock)) {
                p.filter((from, bytes) -> random.nextDouble() < 0.25).chaos(random, 0.1, 0.1);
                lossyResumption(p, seed);
            }
        }
    }

    @Test
    void resumptionThroughTheListenerSurvivesLossDuplicationAndReordering() {
        handshake(this::throughListener, false);
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random random = new Random(seed);
            StatelessListener listener = new StatelessListener(serverConfig.cookieAuthority());
            try (Pair p = Pair.withGate(client, server, clock, listener)) {
                listener.attach(p);
                p.filter((from, bytes) -> random.nextDouble() < 0.25).chaos(random, 0.1, 0.1);
                lossyResumption(p, seed);
            }
        }
    }

    @Test
    void equalAddressesShareTheClientCacheWhateverNameTheyWereMadeWith() throws Exception {
        InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        InetSocketAddress byName = new InetSocketAddress(loopback, 4433);
        InetSocketAddress byLiteral = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 4433);
        assertThat(byName).isEqualTo(byLiteral);
        assertThat(JsseContext.cacheHost(byName)).isEqualTo(JsseContext.cacheHost(byLiteral)).isEqualTo("127.0.0.1");
        assertThat(JsseContext.cacheHost(InetSocketAddress.createUnresolved("Server.example", 1)))
                .isEqualTo("Server.example");
    }

    private void lossyResumption(Pair p, long seed) {
        p.start();
        boolean done = p.runUntil(() -> p.client.info().isPresent() && p.server.info().isPresent(),
                Duration.ofSeconds(60));
        assertThat(done).as("seed %d%n%s", seed, p.describe()).isTrue();
        assertThat(p.client.info().orElseThrow().resumed()).as("seed %d", seed).isTrue();
        assertThat(p.server.info().orElseThrow().resumed()).as("seed %d", seed).isTrue();
        // Both ends go on working: the side that finished last answers the peer's retransmissions.
        p.filter((from, bytes) -> false);
        p.client.send(new byte[] {1});
        p.server.send(new byte[] {2});
        p.settle(Duration.ofSeconds(5));
        assertThat(p.server.records()).as("seed %d%n%s", seed, p.describe()).contains(new byte[] {1});
        assertThat(p.client.records()).as("seed %d%n%s", seed, p.describe()).contains(new byte[] {2});
        assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
        assertThat(p.server.session.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
    }

    private Pair throughListener(JsseContext c) {
        StatelessListener listener = new StatelessListener(serverConfig.cookieAuthority());
        Pair p = Pair.withGate(c, server, clock, listener);
        listener.attach(p);
        return p;
    }

    /** Runs one clean handshake and a record each way; returns the handshake's datagram count. */
    private int handshake(Function<JsseContext, Pair> pair, boolean expectResumed) {
        return handshakeWire(pair, expectResumed).size();
    }

    private List<WireEvent> handshakeWire(Function<JsseContext, Pair> pair, boolean expectResumed) {
        try (Pair p = pair.apply(client)) {
            p.start();
            p.awaitEstablished();
            List<WireEvent> handshake = List.copyOf(p.wire());
            assertThat(p.client.info().orElseThrow().resumed()).as(p.describe()).isEqualTo(expectResumed);
            assertThat(p.server.info().orElseThrow().resumed()).as(p.describe()).isEqualTo(expectResumed);
            assertThat(p.client.info().orElseThrow().cipherSuite()).isEqualTo(p.server.info().orElseThrow().cipherSuite());
            assertThat(p.client.info().orElseThrow().peerCertificates())
                    .containsExactlyElementsOf(TckPki.get().ecServer().certificateChain());
            p.client.send(new byte[] {1});
            p.server.send(new byte[] {2});
            p.settle(Duration.ofSeconds(1));
            assertThat(p.server.records()).containsExactly(new byte[] {1});
            assertThat(p.client.records()).containsExactly(new byte[] {2});
            return handshake;
        }
    }
}
