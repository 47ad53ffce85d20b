package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.dtls4j.Capability;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionInfo;
import org.junit.jupiter.api.Test;

/**
 * Session resumption, for providers that declare {@link Capability#SESSION_RESUMPTION}: a
 * second client session from the same context to the same server resumes the first one,
 * reports it on both sides, and takes fewer datagrams; and a client that reconnects again and
 * again from one address and port resumes every time.
 *
 * <p>If these fail, check that the client context caches sessions by peer address and the
 * server context keeps its session cache (or ticket keys) across sessions.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.SESSION_RESUMPTION)
public interface ResumptionContract extends TckTarget {

    /**
     * Checks rule RS-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RS-1")
    default void secondHandshakeFromTheSameContextResumes(TckRun run) {
        try (DtlsContext client = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext server = run.serverProvider().newContext(Tck.server(run).build())) {
            int full;
            try (SessionPair first = Tck.pair(run)
                    .contexts(client, server).build().start()) {
                first.awaitEstablished(Tck.CLEAN_HANDSHAKE);
                assertFalse(first.client().established().join().resumed(), "a first handshake is full");
                first.client().send(new byte[] {1});
                Await.next(first.server().records(), Tck.EVENT, () -> "a record on the first session");
                first.client().closeSession();
                Await.value(first.server().closed(), Tck.EVENT, () -> "close_notify of the first session");
                full = first.link().wire().size();
            }
            try (SessionPair second = Tck.pair(run)
                    .contexts(client, server).build().start()) {
                second.awaitEstablished(Tck.CLEAN_HANDSHAKE);
                DtlsSessionInfo c = second.client().established().join();
                DtlsSessionInfo s = second.server().established().join();
                assertTrue(c.resumed(), "the client must resume the first session\n" + second.describe());
                assertTrue(s.resumed(), "the server must report the resumption");
                assertEquals(c.cipherSuite(), s.cipherSuite(), "both sides report the same suite");
                assertEquals(TckPki.get().ecServer().certificateChain().get(0), c.peerCertificates().get(0),
                        "a resumed session still reports the server's certificate");
                int handshake = second.link().wire().size();
                assertTrue(handshake < full, "a resumed handshake is shorter on the wire: " + handshake
                        + " datagrams vs " + full + " for the full one (which also carried a record and close_notify)");
            }
        }
    }

    /**
     * The same over UDP through the api's listener: the resuming ClientHello goes through
     * the cookie exchange like any other, and the server session the listener creates
     * still finds the session to resume.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("RS-2")
    default void aSecondConnectionThroughTheListenerResumes(TckRun run) throws Exception {
        try (DtlsContext client = run.clientProvider().newContext(UdpTransportContract.udpClient(run).build());
             DtlsContext server = run.serverProvider().newContext(UdpTransportContract.udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            firstConnection(client, listener.localAddress(), listener);
            try (DtlsConnection second = DtlsClient.connect(client, listener.localAddress(), Tck.EVENT)) {
                DtlsConnection accepted = listener.accept(Tck.EVENT);
                assertTrue(second.info().resumed(), "the client must resume the first session: " + listener.stats());
                assertTrue(accepted.info().resumed(), "the server must report the resumption");
            }
        }
    }

    /**
     * Checks rule RS-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("RS-3")
    default void everyReconnectionFromTheSameAddressResumes(TckRun run) throws Exception {
        try (DtlsContext client = run.clientProvider().newContext(UdpTransportContract.udpClient(run).build());
             DtlsContext server = run.serverProvider().newContext(UdpTransportContract.udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             UdpRelay relay = new UdpRelay(listener.localAddress())) {
            firstConnection(client, relay.address(), listener);
            // Each reconnection closes as soon as it is established, and what the server sends
            // after its last handshake flight (in DTLS 1.3 the ticket, after the ACK that ends
            // wolfSSL's client handshake) reaches a client that has closed already: the session
            // the client keeps must still resume.
            relay.spaceServerDatagrams(Duration.ofMillis(10));
            for (int i = 1; i <= 10; i++) {
                DtlsSessionInfo resumed;
                try (DtlsConnection again = DtlsClient.connect(client, relay.address(), Tck.EVENT)) {
                    resumed = again.info();
                } catch (DtlsException e) {
                    throw new AssertionError("reconnection " + i + " from the same address failed: " + e
                            + "; server: " + listener.stats(), e);
                }
                try (DtlsConnection accepted = listener.accept(Tck.EVENT)) {
                    assertTrue(resumed.resumed(), "reconnection " + i + " must resume: " + listener.stats());
                    assertTrue(accepted.info().resumed(), "the server must report reconnection " + i + "'s resumption");
                }
            }
        }
    }

    /**
     * A first, full connection of {@code client} to {@code address} (the listener's, or a
     * relay's in front of it), accepted by {@code listener}, that echoes one record and closes.
     * The round trip is there because a DTLS 1.3 server sends its ticket after the handshake
     * (RFC 8446 section 4.6.1): a client that closed at once may not have it yet, and the echo
     * comes after the ticket.
     */
    private static void firstConnection(DtlsContext client, InetSocketAddress address, DtlsServer listener)
            throws IOException, InterruptedException {
        try (DtlsConnection first = DtlsClient.connect(client, address, Tck.EVENT);
             DtlsConnection served = listener.accept(Tck.EVENT)) {
            assertFalse(first.info().resumed(), "a first handshake is full");
            first.send(ByteBuffer.wrap(new byte[] {1}));
            ByteBuffer in = ByteBuffer.allocate(served.maxRecordSize());
            served.receive(in, Tck.EVENT);
            served.send(in.flip());
            first.receive(ByteBuffer.allocate(first.maxRecordSize()), Tck.EVENT);
        }
    }
}
