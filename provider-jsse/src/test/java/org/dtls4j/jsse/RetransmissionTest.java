package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsHandshakeTimeoutException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Retransmission and timeouts on virtual time, so the schedule can be checked to the
 * nanosecond: RFC 6347 section 4.2.4.1 (initial interval, doubling, capped).
 */
class RetransmissionTest {

    private static final Duration INITIAL = Duration.ofMillis(40);
    private static final Duration MAX = Duration.ofMillis(300);

    @Test
    void aLostFlightIsResentOnTheDoublingScheduleUpToTheMaximum() {
        int sends = 7;
        DtlsConfig client = Configs.client().retransmission(INITIAL, MAX).handshakeTimeout(Duration.ofSeconds(30)).build();
        try (Pair p = Pair.of(client, Configs.server().build())) {
            // The server hears nothing until the client has sent its ClientHello `sends` times.
            p.filter((from, bytes) -> from == Side.CLIENT && p.wire(Side.CLIENT).size() < sends);
            p.start();
            p.awaitEstablished();
            List<Long> gaps = gaps(p.wire(Side.CLIENT).subList(0, sends));
            List<Long> expected = new ArrayList<>();
            long interval = INITIAL.toNanos();
            for (int i = 1; i < sends; i++) {
                expected.add(interval);
                interval = Math.min(interval * 2, MAX.toNanos());
            }
            assertThat(gaps).as("40, 80, 160, then capped at 300 ms\n%s", p.describe()).isEqualTo(expected);
        }
    }

    @Test
    void eachNewFlightStartsAgainAtTheInitialInterval() {
        DtlsConfig client = Configs.client().retransmission(INITIAL, MAX).build();
        try (Pair p = Pair.of(client, Configs.server().build())) {
            // Lose the first HelloVerifyRequest, so the first ClientHello is resent once (its
            // interval doubles); then lose the server's flight until the second ClientHello
            // has been resent: that resend must come after the initial interval again.
            p.filter((from, bytes) -> from == Side.SERVER && (p.wire(Side.SERVER).isEmpty()
                    || bytes[13] != 3 && p.wire(Side.CLIENT).size() < 4));
            p.start();
            p.awaitEstablished();
            List<Long> gaps = gaps(p.wire(Side.CLIENT).subList(0, 4));
            assertThat(gaps).as("ClientHello, its resend, ClientHello with cookie, its resend\n%s", p.describe())
                    .containsExactly(INITIAL.toNanos(), 0L, INITIAL.toNanos());
        }
    }

    @Test
    void theServerResendsItsFlightWhenTheClientsNextFlightIsLost() {
        DtlsConfig server = Configs.server().retransmission(INITIAL, MAX).build();
        int[] clientFlight = {0};
        try (Pair p = Pair.of(Configs.client().build(), server)) {
            // Lose the client's whole key exchange flight (ClientKeyExchange, CCS, Finished) once.
            p.filter((from, bytes) -> from == Side.CLIENT && p.wire(Side.CLIENT).size() > 2
                    && clientFlight[0]++ < 3);
            p.start();
            p.awaitEstablished();
            assertThat(p.wire(Side.CLIENT).size()).as(p.describe()).isGreaterThan(5);
        }
    }

    @Test
    void aLostFinalFlightIsResentWhenTheClientRetransmits() {
        int[] lost = {0};
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            // Lose both copies of the server's last flight (NewSessionTicket, CCS, Finished, twice).
            p.filter((from, bytes) -> from == Side.SERVER && clientSentFinished(p) && lost[0]++ < 6);
            p.start();
            p.awaitEstablished();
            assertThat(lost[0]).as(p.describe()).isGreaterThanOrEqualTo(6);
            assertThat(p.server.completions()).isEqualTo(1);
            p.client.send(new byte[] {1});
            p.server.send(new byte[] {2});
            p.settle(Duration.ofSeconds(1));
            assertThat(p.server.records()).containsExactly(new byte[] {1});
            assertThat(p.client.records()).containsExactly(new byte[] {2});
        }
    }

    @Test
    void aLostNewSessionTicketIsRecovered() {
        int[] lost = {0};
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            // Lose only the first datagram of the server's last flight: the NewSessionTicket.
            p.filter((from, bytes) -> from == Side.SERVER && clientSentFinished(p) && lost[0]++ < 1);
            p.start();
            p.awaitEstablished();
        }
    }

    @Test
    void earlyApplicationDataIsDroppedWithoutFailingTheHandshake() {
        int[] lost = {0};
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            p.filter((from, bytes) -> from == Side.SERVER && clientSentFinished(p)
                    && bytes[0] != 23 && lost[0]++ < 6);
            p.start();
            p.runUntil(() -> p.server.info().isPresent(), Duration.ofSeconds(5));
            // The server is done, the client still waits for the lost Finished: the server's
            // record reaches a handshaking client, which must drop it (JSSE would fail).
            p.server.send(new byte[] {9});
            p.awaitEstablished();
            assertThat(p.client.failures()).isEmpty();
            assertThat(p.client.records()).isEmpty();
            assertThat(p.client.session.droppedDatagrams()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aBlackHoleFailsTheHandshakeAtTheConfiguredTotal() {
        Duration total = Duration.ofMillis(1000);
        DtlsConfig client = Configs.client().retransmission(INITIAL, MAX).handshakeTimeout(total).build();
        try (Pair p = Pair.of(client, Configs.server().build())) {
            p.filter((from, bytes) -> true);
            long start = p.now();
            p.start();
            p.runUntil(() -> !p.client.failures().isEmpty(), Duration.ofSeconds(5));
            assertThat(p.client.failures()).hasSize(1);
            assertThat(p.client.failure()).isInstanceOf(DtlsHandshakeTimeoutException.class);
            assertThat(((DtlsHandshakeTimeoutException) p.client.failure()).timeout()).isEqualTo(total);
            assertThat(p.now() - start).isEqualTo(total.toNanos());
            assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.FAILED);
            assertThat(p.client.session.nextTimeout()).isEqualTo(DtlsSession.NO_TIMEOUT);
            // sent at 0, 40, 120, 280, 580, 880 ms
            assertThat(p.wire(Side.CLIENT)).hasSize(6);
            p.client.session.handleTimeout();
            p.client.session.close();
            assertThat(p.client.failures()).as("onFailed is called once").hasSize(1);
            assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.FAILED);
        }
    }

    @Test
    void aServerWhoseClientVanishesTimesOut() {
        Duration total = Duration.ofMillis(500);
        DtlsConfig server = Configs.server().retransmission(INITIAL, MAX).handshakeTimeout(total).build();
        try (Pair p = Pair.of(Configs.client().build(), server)) {
            // The client's first ClientHello reaches the server, then the client is gone.
            p.filter((from, bytes) -> from == Side.SERVER || !p.wire(Side.CLIENT).isEmpty());
            p.start();
            p.runUntil(() -> !p.server.failures().isEmpty(), Duration.ofSeconds(5));
            assertThat(p.server.failure()).isInstanceOf(DtlsHandshakeTimeoutException.class);
            assertThat(p.wire(Side.SERVER)).as("a HelloVerifyRequest is never retransmitted").hasSize(1);
        }
    }

    @Test
    void handleTimeoutBeforeTheDeadlineDoesNothing() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            p.filter((from, bytes) -> true);
            p.start();
            int sent = p.wire().size();
            long deadline = p.client.session.nextTimeout();
            p.client.session.handleTimeout();
            assertThat(p.wire()).hasSize(sent);
            assertThat(p.client.session.nextTimeout()).isEqualTo(deadline);
        }
    }

    /** Whether the client has sent a record of epoch 1 (its Finished). */
    private static boolean clientSentFinished(Pair p) {
        return p.wire(Side.CLIENT).stream().anyMatch(w -> w.bytes()[4] == 1);
    }

    private static List<Long> gaps(List<WireEvent> sent) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < sent.size(); i++) {
            out.add(sent.get(i).nanos() - sent.get(i - 1).nanos());
        }
        return out;
    }
}
