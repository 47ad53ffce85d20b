package org.dtls4j.tck;

import static org.dtls4j.tck.UdpTransportContract.ECHO;
import static org.dtls4j.tck.UdpTransportContract.LOOPBACK;
import static org.dtls4j.tck.UdpTransportContract.udpClient;
import static org.dtls4j.tck.UdpTransportContract.udpServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.junit.jupiter.api.Test;

/**
 * One peer's hostile input never costs another peer, or the same address's next handshake:
 * over UDP through the api's listener, with ClientHellos played by hand that carry the
 * listener's valid cookie, so that they reach the provider's session.
 *
 * <p>If these fail, check that the server session fails (with the alert the RFC names) on
 * input it cannot handle rather than waiting for its handshake timeout, and that nothing the
 * backend throws escapes the session's {@code receive}: the listener ends a session that
 * throws, but only the session can send the peer its alert.
 *
 * @since 0.2
 */
public interface PeerIsolationContract extends TckTarget {

    /** signature_algorithms that no ECDSA P-256 key can sign with: ed25519, rsa_pss_rsae_sha256, rsa_pkcs1_sha512. */
    int[] NOTHING_FOR_P256 = {0x0807, 0x0804, 0x0601};

    /**
     * Checks rule PI-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("PI-1")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void aClientHelloOfferingNoUsableSignatureAlgorithmEarnsHandshakeFailureAndFreesTheAddress(TckRun run)
            throws Exception {
        byte[] random = RawHellos.random(run.seed());
        byte[] first = datagram(RawHellos.clientHelloBody(random, new byte[0], NOTHING_FOR_P256, 0), 0, 0);
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO);
             DatagramSocket s = RawHellos.socket(LOOPBACK)) {
            InetSocketAddress to = listener.localAddress();
            byte[] cookie = cookieFor(s, to, first, listener);
            byte[] second = datagram(RawHellos.clientHelloBody(random, cookie, NOTHING_FOR_P256, 0), 1, 1);
            byte[] answer = RawHellos.exchange(s, to, second);
            // A backend that sends its flight message by message may have sent its ServerHello
            // before it finds that it cannot sign: the alert follows at once.
            for (int i = 0; i < 8 && answer != null && RawHellos.handshakeType(answer) >= 0; i++) {
                answer = RawHellos.receive(s, Tck.EVENT);
            }
            assertTrue(answer != null, "a ClientHello with a valid cookie whose signature_algorithms the server's P-256"
                    + " key cannot use must be answered with an alert at once; server: " + listener.stats());
            assertEquals(21, answer[0], "the answer is an alert record (21); server: " + listener.stats());
            assertEquals(2, answer[13], "the alert is fatal");
            assertEquals(40, answer[14], "the alert is handshake_failure (40): RFC 5246 section 7.4.1.4.1 leaves the"
                    + " server no signature to make");
            Await.until(() -> listener.stats().handshakesFailed() == 1 && listener.stats().liveSessions() == 0,
                    Tck.EVENT, () -> "the failed session is counted and gone at once: " + listener.stats());
            expectServerHello(run, s, to, listener, "a good ClientHello from the same address, right after");
        }
    }

    /**
     * Checks rule PI-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("PI-2")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void aHelloRequestAndAnAlertSentToAServerEndItsSessionAtOnce(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO);
             DatagramSocket s = RawHellos.socket(LOOPBACK)) {
            InetSocketAddress to = listener.localAddress();
            byte[] flight = RawHellos.exchange(s, to, RawHellos.withCookie(hello, cookieFor(s, to, hello, listener)));
            assertTrue(flight != null, "the ClientHello with the listener's cookie is answered; server: " + listener.stats());
            // A HelloRequest (message_seq 2, record 2), then a warning alert (record 3): the JDK's
            // server engine threw a ClassCastException on this pair.
            byte[] helloRequest = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 2, 0, 12,
                0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0};
            byte[] alert = {21, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 3, 0, 2, 1, 100};
            for (byte[] d : List.of(helloRequest, alert)) {
                s.send(new DatagramPacket(d, d.length, to));
            }
            Await.until(() -> listener.stats().handshakesFailed() == 1 && listener.stats().liveSessions() == 0,
                    Tck.EVENT, () -> "a HelloRequest sent to a server is an unexpected message (RFC 5246 section 7.4.1.1):"
                            + " its session fails, is counted, and is gone at once; server: " + listener.stats());
            drain(s);
            expectServerHello(run, s, to, listener, "a good ClientHello from the same address, right after");
        }
    }

    /**
     * Checks rule PI-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("PI-3")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void peersThatStallAfterTheirCookieDelayNoOtherHandshake(TckRun run) throws Exception {
        int stalled = 16;
        int mutatingSockets = 8;
        int mutatedPerSocket = 250;
        Random random = new Random(run.seed());
        TransportOptions options = TransportOptions.builder().maxHandshakes(stalled + mutatingSockets + 8).build();
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0), options, ECHO)) {
            InetSocketAddress to = listener.localAddress();
            List<DatagramSocket> sockets = new ArrayList<>();
            try {
                // Peers whose cookie verified and who then say nothing more.
                for (int i = 0; i < stalled + mutatingSockets; i++) {
                    DatagramSocket s = RawHellos.socket(LOOPBACK);
                    sockets.add(s);
                    byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
                    byte[] withCookie = RawHellos.withCookie(hello, cookieFor(s, to, hello, listener));
                    int count = i < stalled ? 1 : mutatedPerSocket;
                    for (int n = 0; n < count; n++) {
                        byte[] d = n == 0 ? withCookie : mutatedAfterTheCookie(withCookie, random);
                        s.send(new DatagramPacket(d, d.length, to));
                    }
                }
                Await.until(() -> listener.stats().handshakesStarted() >= stalled + mutatingSockets, Tck.EVENT,
                        () -> "every peer's verified ClientHello starts a session: " + listener.stats());
                long start = System.nanoTime();
                try (DtlsConnection c = DtlsClient.connect(client, to, Tck.CLEAN_HANDSHAKE)) {
                    c.send(ByteBuffer.wrap(new byte[] {42}));
                    ByteBuffer echo = ByteBuffer.allocate(16);
                    assertEquals(1, c.receive(echo, Tck.EVENT), "the echo of a record after the handshake");
                } catch (DtlsException e) {
                    throw new AssertionError("a real client must complete its handshake within its clean-network time ("
                            + Tck.CLEAN_HANDSHAKE.toMillis() + " ms) while " + stalled + " peers stall after their cookie"
                            + " and " + mutatingSockets + " sockets sent " + mutatedPerSocket + " mutated ClientHellos"
                            + " each; it failed after " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                            + " ms: " + e + "; server: " + listener.stats(), e);
                }
            } finally {
                sockets.forEach(DatagramSocket::close);
            }
        }
    }

    /**
     * {@code hello} with one to four bytes changed past its cookie (the suites, compression
     * methods or extensions), so that it still carries the listener's valid cookie unless the
     * change hits what the cookie binds.
     */
    private static byte[] mutatedAfterTheCookie(byte[] hello, Random random) {
        byte[] d = hello.clone();
        int sessionIdAt = 13 + 12 + 2 + 32;
        int cookieAt = sessionIdAt + 1 + (d[sessionIdAt] & 0xff);
        int after = cookieAt + 1 + (d[cookieAt] & 0xff);
        for (int i = 0, n = 1 + random.nextInt(4); i < n && after < d.length; i++) {
            d[after + random.nextInt(d.length - after)] ^= (byte) (1 + random.nextInt(255));
        }
        return d;
    }

    /** One epoch-0 datagram holding the whole ClientHello {@code body}. */
    private static byte[] datagram(byte[] body, int messageSeq, long record) {
        return RawHellos.fragmented(body, messageSeq, record, 13 + 12 + body.length).get(0);
    }

    /**
     * A fresh ClientHello of the run's client (a new random) from {@code s}: its cookie
     * exchange, then the server's ServerHello (message 1), each within {@code Tck.EVENT}.
     */
    private static void expectServerHello(TckRun run, DatagramSocket s, InetSocketAddress to, DtlsServer listener,
                                          String what) throws IOException {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        byte[] answer = RawHellos.exchange(s, to, RawHellos.withCookie(hello, cookieFor(s, to, hello, listener)));
        assertTrue(answer != null && RawHellos.handshakeType(answer) == 2, what + ": with its cookie, is answered"
                + " with a ServerHello at once, not after the earlier session's handshake timeout; server: "
                + listener.stats());
    }

    /** The listener's cookie for the cookie-less ClientHello {@code hello}, sent from {@code s}. */
    private static byte[] cookieFor(DatagramSocket s, InetSocketAddress to, byte[] hello, DtlsServer listener)
            throws IOException {
        byte[] hvr = RawHellos.exchange(s, to, hello);
        assertTrue(hvr != null && RawHellos.isHelloVerifyRequest(hvr), "a cookie-less ClientHello earns a"
                + " HelloVerifyRequest at once; server: " + listener.stats());
        return RawHellos.cookieOf(hvr);
    }

    /** Reads and drops what is still coming to {@code s}, until it is quiet for {@code Tck.QUIET}. */
    private static void drain(DatagramSocket s) throws IOException {
        for (int i = 0; i < 64 && RawHellos.receive(s, Tck.QUIET) != null; i++) {
            // dropped
        }
        s.setSoTimeout((int) Tck.EVENT.toMillis());
    }
}
