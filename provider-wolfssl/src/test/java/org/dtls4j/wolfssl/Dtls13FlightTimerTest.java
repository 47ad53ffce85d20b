package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsConfig;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * A DTLS 1.3 flight sent after the peer's handshake records came in is resent one initial
 * interval later, as RetransmissionTimer says: wolfSSL's own first expiry there only ACKs
 * ({@code dtls13FastTimeout}), and the session makes it resend too. RT-2 covers the first
 * flight only, which has nothing to ACK.
 */
@NeedsWolfSsl
class Dtls13FlightTimerTest {

    private static final Duration INITIAL = Duration.ofMillis(100);

    @Test
    void theServersFlightIsResentOneInitialIntervalAfterTheClientsFinishedIsLost() {
        TckPki pki = TckPki.get();
        DtlsConfig client = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3)
                .retransmission(INITIAL, Duration.ofSeconds(1)).trustedCertificates(pki.caCertificate()).build();
        DtlsConfig server = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3)
                .retransmission(INITIAL, Duration.ofSeconds(1)).credentials(pki.ecServer()).build();
        WolfSslProvider provider = new WolfSslProvider();
        AtomicInteger serverDatagrams = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        try (SessionPair pair = SessionPair.builder(provider, provider).clientConfig(client).serverConfig(server).build()) {
            // After the HelloRetryRequest and the server's flight, the client's first protected
            // datagram (its Finished) is lost: only the server's timer can recover.
            pair.link().filter((from, bytes) -> from == Side.SERVER ? serverDatagrams.incrementAndGet() < 0
                    : serverDatagrams.get() >= 2 && (bytes[0] & 0xe0) == 0x20 && dropped.incrementAndGet() == 1);
            pair.start();
            pair.awaitEstablished(Duration.ofSeconds(5));
            List<WireEvent> wire = pair.link().wire();
            int lost = indexOf(wire, WireEvent.Fate.FILTERED);
            assertThat(lost).as("the client's Finished was dropped\n%s", pair.describe()).isPositive();
            WireEvent flightEnd = lastFrom(wire, Side.SERVER, lost);
            WireEvent resent = firstFrom(wire, Side.SERVER, lost);
            long gap = resent.nanos() - flightEnd.nanos();
            assertThat(gap).as("the server resends its flight one initial interval (%d ms) after it, not two;"
                    + " came after %.1f ms\n%s", INITIAL.toMillis(), gap / 1e6, pair.describe())
                    .isBetween(INITIAL.toNanos() * 9 / 10 - 1_000_000, INITIAL.toNanos() * 3 / 2 + 40_000_000);
        }
    }

    private static int indexOf(List<WireEvent> wire, WireEvent.Fate fate) {
        for (int i = 0; i < wire.size(); i++) {
            if (wire.get(i).fate() == fate) {
                return i;
            }
        }
        return -1;
    }

    private static WireEvent lastFrom(List<WireEvent> wire, Side side, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (wire.get(i).from() == side) {
                return wire.get(i);
            }
        }
        throw new AssertionError("no datagram from " + side + " before " + before);
    }

    private static WireEvent firstFrom(List<WireEvent> wire, Side side, int after) {
        for (int i = after + 1; i < wire.size(); i++) {
            if (wire.get(i).from() == side) {
                return wire.get(i);
            }
        }
        throw new AssertionError("no datagram from " + side + " after " + after);
    }
}
