package org.dtls4j.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.UdpRelay;
import org.dtls4j.tck.peers.Echo;

/**
 * Full handshakes through {@link DtlsServer} on a link with delay: a {@link UdpRelay} on
 * 127.0.0.1 holds every datagram for a fixed time each way, so the handshake time counts
 * round trips (the cookie exchange included: a HelloVerifyRequest in DTLS 1.2, a
 * HelloRetryRequest in DTLS 1.3). One handshake at a time, each with a client context of its
 * own (never resumed); the retransmission timer starts at 2 s, above any round trip here, so
 * nothing is sent twice. Not thread-safe; call from one thread.
 */
final class DelayedHandshakes {

    /** What one provider and version measured: the median and the round trips it makes. */
    record Result(String provider, ProtocolVersion version, Duration oneWay, int handshakes, double medianMillis) {

        /** The median in round trips of the link (twice the one-way delay). */
        double roundTrips() {
            return medianMillis / (2.0 * oneWay.toNanos() / 1e6);
        }
    }

    private DelayedHandshakes() {
    }

    /** {@code handshakes} handshakes of {@code provider} with itself in {@code version}, {@code oneWay} each way. */
    static Result run(DtlsProvider provider, ProtocolVersion version, Duration oneWay, int handshakes) throws Exception {
        Duration rtx = Duration.ofSeconds(2);
        DtlsConfig server = MemoryPair.serverConfig(version).toBuilder().retransmission(rtx, rtx.multipliedBy(4)).build();
        DtlsConfig client = MemoryPair.clientConfig(version).toBuilder().retransmission(rtx, rtx.multipliedBy(4)).build();
        long[] nanos = new long[handshakes];
        try (DtlsContext sctx = provider.newContext(server);
             DtlsServer listener = DtlsServer.bind(sctx, new InetSocketAddress(UdpEchoBenchmark.LOOPBACK, 0),
                     TransportOptions.defaults(), new Echo());
             UdpRelay relay = new UdpRelay(listener.localAddress())) {
            relay.delay(oneWay);
            for (int i = -1; i < handshakes; i++) { // the first one warms up
                try (DtlsContext cctx = provider.newContext(client)) {
                    long t0 = System.nanoTime();
                    try (DtlsConnection c = DtlsClient.connect(cctx, relay.address(), Duration.ofSeconds(10))) {
                        long t = System.nanoTime() - t0;
                        if (c.info().protocolVersion() != version || c.info().resumed()) {
                            throw new IllegalStateException(provider.name() + ": negotiated " + c.info().protocolVersion()
                                    + (c.info().resumed() ? ", resumed" : "") + "; wanted a full " + version.standardName());
                        }
                        if (i >= 0) {
                            nanos[i] = t;
                        }
                    }
                }
            }
        }
        Arrays.sort(nanos);
        return new Result(provider.name(), version, oneWay, handshakes, nanos[handshakes / 2] / 1e6);
    }
}
