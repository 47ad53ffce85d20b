package org.dtls4j.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.dtls4j.Capability;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.UdpRelay;
import org.dtls4j.tck.UdpTransportContract;

/**
 * The {@code dtls4j interop} rebinding check: for every pair whose client and server both
 * declare {@link Capability#CONNECTION_ID}, in every protocol version both declare, a client behind a relay gets a new source port
 * twice, as behind a NAT that rebinds, and its one session must carry on: each echo comes
 * back, and the server counts two migrations and no new handshake.
 */
final class RebindingCheck {

    private static final int REBINDS = 2;

    private RebindingCheck() {
    }

    /**
     * Prints a row for each pair that declares connection IDs on both sides, per version of
     * {@code versions} both declare (the configurations' versions are set to it); returns the failures.
     */
    static int report(List<DtlsProvider> providers, DtlsConfig.Builder client, DtlsConfig.Builder server,
                      List<ProtocolVersion> versions, Duration timeout) {
        System.out.printf("%n| client | server | version | connection-ID rebinding |%n|---|---|---|---|%n");
        int failed = 0;
        int total = 0;
        for (ProtocolVersion v : versions) {
            for (DtlsProvider c : providers) {
                for (DtlsProvider s : providers) {
                    if (!declares(c, v) || !declares(s, v)) {
                        continue;
                    }
                    total++;
                    String cell;
                    try {
                        cell = run(c, s, client.protocolVersions(v).build(), server.protocolVersions(v).build(), timeout);
                    } catch (Exception | AssertionError e) {
                        failed++;
                        cell = "FAIL: " + e.getMessage();
                    }
                    System.out.printf("| %s | %s | %s | %s |%n", c.name(), s.name(), v.standardName(), cell);
                }
            }
        }
        System.out.printf("%n%d of %d connection-ID pairs kept their session across %d client port changes"
                + " (UDP on 127.0.0.1 through a rebinding relay)%n", total - failed, total, REBINDS);
        return failed;
    }

    private static boolean declares(DtlsProvider p, ProtocolVersion v) {
        return p.capabilities().contains(Capability.CONNECTION_ID) && Capabilities.protocolVersions(p).contains(v);
    }

    private static String run(DtlsProvider c, DtlsProvider s, DtlsConfig client, DtlsConfig server, Duration timeout)
            throws IOException, InterruptedException {
        try (DtlsContext sctx = s.newContext(server.toBuilder().connectionIdLength(4).build());
             DtlsContext cctx = c.newContext(client.toBuilder().connectionIdLength(4).build());
             DtlsServer listener = DtlsServer.bind(sctx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), UdpTransportContract.ECHO);
             UdpRelay relay = new UdpRelay(listener.localAddress());
             DtlsConnection conn = DtlsClient.connect(cctx, relay.address(), timeout)) {
            for (int round = 0; round <= REBINDS; round++) {
                if (round > 0) {
                    relay.rebind();
                }
                conn.send(ByteBuffer.wrap(new byte[] {(byte) round}));
                ByteBuffer in = ByteBuffer.allocate(64);
                if (conn.receive(in, timeout) != 1 || in.get(0) != round) {
                    throw new IllegalStateException("no echo after rebind " + round);
                }
            }
            long moves = listener.stats().migrations();
            long handshakes = listener.stats().handshakesCompleted();
            if (moves != REBINDS || handshakes != 1) {
                throw new IllegalStateException(moves + " migrations and " + handshakes + " handshakes, expected "
                        + REBINDS + " and 1");
            }
            ProtocolVersion negotiated = conn.info().protocolVersion();
            if (!server.protocolVersions().contains(negotiated)) {
                throw new IllegalStateException("negotiated " + negotiated.standardName());
            }
            return "pass: " + REBINDS + " rebinds, one session";
        }
    }
}
