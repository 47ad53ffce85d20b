package org.dtls4j.tck;

import static org.dtls4j.tck.UdpTransportContract.ECHO;
import static org.dtls4j.tck.UdpTransportContract.LOOPBACK;
import static org.dtls4j.tck.UdpTransportContract.WAIT;
import static org.dtls4j.tck.UdpTransportContract.udpClient;
import static org.dtls4j.tck.UdpTransportContract.udpServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtls4j.CookieAuthority;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsTimeoutException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.junit.jupiter.api.Test;

/**
 * The listener's stateless cookie exchange in front of the provider's sessions, over UDP on
 * 127.0.0.1: no session before a cookie verifies, a fresh cookie for a bad one, and the
 * provider's server session continuing from the verified ClientHello.
 *
 * <p>If these fail while the in-memory contracts pass, check how the provider's server
 * session continues from a ClientHello whose cookie the listener already verified (its
 * first datagram carries the cookie and message_seq 1).
 *
 * @since 0.1
 */
public interface CookieExchangeContract extends TckTarget {

    /**
     * Checks rule CK-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-1")
    default void floodOfCookielessClientHellosCreatesNoSession(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO)) {
            int sent = flood(listener.localAddress(), hello, 100, 100);
            // The kernel may drop part of a flood sent this fast; every ClientHello that
            // reached the server is answered with a cookie once the listener has read it.
            Await.until(() -> listener.stats().datagramsIn() >= 100
                            && listener.stats().cookiesSent() >= listener.stats().datagramsIn() - 20, WAIT,
                    () -> "the flood must reach the server (" + sent + " sent) and each datagram earn a cookie: "
                            + listener.stats());
            TransportStats stats = listener.stats();
            assertEquals(0, stats.handshakesStarted(), "a cookie-less ClientHello starts no session: " + stats);
            assertEquals(0, stats.liveSessions(), "the peer table stays empty: " + stats);
            assertTrue(stats.datagramsIn() >= 100, "the flood must reach the server (" + sent + " sent): " + stats);
            assertTrue(stats.cookiesSent() >= stats.datagramsIn() - 20,
                    "every flood datagram is answered with a cookie, statelessly: " + stats);
        }
    }

    /**
     * Checks rule CK-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-2")
    default void aRealClientConnectsDuringAFloodOfCookielessClientHellos(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO)) {
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> flood(listener.localAddress(), hello, 100, 100));
            try (DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), WAIT)) {
                assertEquals(1, echoDespiteLoss(c), "the real client's echo");
                flood.get(60, TimeUnit.SECONDS);
                TransportStats stats = listener.stats();
                assertEquals(1, stats.handshakesStarted(), "only the real client may start a session: " + stats);
                assertEquals(1, stats.liveSessions(), "the peer table holds only the real client: " + stats);
            }
        }
    }

    /**
     * Sends one record until its echo comes back, within {@code WAIT}. Application data is
     * not retransmitted, and the kernel may drop a datagram of the real client's (or its echo)
     * while the flood fills the socket buffers: the rule is that the client connects, so a
     * lost record is sent again, as an application over UDP would.
     */
    private static int echoDespiteLoss(DtlsConnection c) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ByteBuffer reply = ByteBuffer.allocate(16);
        while (true) {
            c.send(ByteBuffer.wrap(new byte[] {7}));
            try {
                return c.receive(reply, Duration.ofMillis(250));
            } catch (DtlsTimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("no echo within " + WAIT.toMillis() + " ms of sending again every 250 ms", e);
                }
            }
        }
    }

    /** Sends {@code perSocket} copies of {@code hello} from each of {@code sockets} never-answering sockets. */
    private static int flood(InetSocketAddress server, byte[] hello, int sockets, int perSocket) {
        int sent = 0;
        List<DatagramSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < sockets; i++) {
                InetAddress source;
                try {
                    source = InetAddress.getByAddress(new byte[] {127, 0, (byte) (i / 250), (byte) (2 + i % 250)});
                    open.add(new DatagramSocket(new InetSocketAddress(source, 0)));
                } catch (IOException e) {
                    open.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))); // no 127/8 aliasing here
                }
            }
            for (int n = 0; n < perSocket; n++) {
                for (DatagramSocket s : open) {
                    s.send(new DatagramPacket(hello, hello.length, server));
                    sent++;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("flood failed after " + sent + " datagrams", e);
        } finally {
            open.forEach(DatagramSocket::close);
        }
        return sent;
    }

    /**
     * Checks rule CK-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-3")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void badCookiesEarnAFreshHelloVerifyRequestAndNoSession(TckRun run) throws Exception {
        MutableClock clock = new MutableClock();
        DtlsConfig serverConfig = udpServer(run)
                .cookieAuthority(CookieAuthority.hmacSha256(Duration.ofSeconds(30), Duration.ofSeconds(60), clock)).build();
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(serverConfig);
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket a = RawHellos.socket(LOOPBACK);
             DatagramSocket b = RawHellos.socket(LOOPBACK)) {
            InetSocketAddress to = listener.localAddress();
            byte[] hvr = RawHellos.exchange(a, to, hello);
            assertTrue(hvr != null && RawHellos.isHelloVerifyRequest(hvr), "a cookie-less ClientHello earns a HelloVerifyRequest");
            assertTrue(hvr.length <= hello.length, "the HelloVerifyRequest is never larger than the ClientHello");
            byte[] cookie = RawHellos.cookieOf(hvr);

            byte[] flipped = cookie.clone();
            flipped[flipped.length / 2] ^= 0x10;
            expectFreshCookie(a, to, RawHellos.withCookie(hello, flipped), "a cookie with a flipped bit");
            expectFreshCookie(b, to, RawHellos.withCookie(hello, cookie), "a cookie replayed from another port");
            byte[] otherRandom = RawHellos.withCookie(hello, cookie);
            otherRandom[13 + 12 + 2 + 5] ^= 1;
            expectFreshCookie(a, to, otherRandom, "a cookie with a changed client random");
            clock.advance(Duration.ofSeconds(31));
            expectFreshCookie(a, to, RawHellos.withCookie(hello, cookie), "an expired cookie");

            TransportStats stats = listener.stats();
            assertEquals(0, stats.handshakesStarted(), "no bad cookie may create a session: " + stats);
            assertEquals(0, stats.liveSessions(), "the peer table stays empty: " + stats);
            assertEquals(4, stats.cookiesRejected(), "each bad cookie is counted: " + stats);
        }
    }

    /**
     * One cookie exchange, numbered as every client expects: the ClientHello that returns
     * the listener's cookie is answered with the server's flight, starting with ServerHello
     * message_seq 1. bctls clients expect 1 after any HelloVerifyRequest, so a backend that
     * runs a second exchange of its own (and then numbers its ServerHello 2) loses them, as
     * well as a round trip. If this fails, let the listener send the backend's cookie
     * (make the context implement {@code spi.BackendCookies}) or accept the ClientHello the listener verified
     * ({@code ClientHellos.verifiedCookie}).
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-4")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void theClientHelloWithTheListenersCookieIsAnsweredWithServerHelloNumberedOne(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket s = RawHellos.socket(LOOPBACK)) {
            InetSocketAddress to = listener.localAddress();
            byte[] hvr = RawHellos.exchange(s, to, hello);
            assertTrue(hvr != null && RawHellos.isHelloVerifyRequest(hvr), "a cookie-less ClientHello earns a HelloVerifyRequest");
            byte[] answer = RawHellos.exchange(s, to, RawHellos.withCookie(hello, RawHellos.cookieOf(hvr)));
            assertTrue(answer != null, "the ClientHello with the listener's cookie must be answered; server: " + listener.stats());
            assertEquals(2, RawHellos.handshakeType(answer), "the answer starts with a ServerHello (2), not a second"
                    + " HelloVerifyRequest (3) or anything else; server: " + listener.stats());
            assertEquals(1, RawHellos.messageSeq(answer), "the ServerHello after one HelloVerifyRequest is message 1");
            assertEquals(1, listener.stats().handshakesStarted(), "the verified ClientHello started one session");
        }
    }

    /**
     * A large ClientHello that arrives in two fragments (a client offering post-quantum key
     * shares at a 1,400-byte datagram size) gets one cookie exchange, as an unfragmented one
     * does: one HelloVerifyRequest, then the server's flight from ServerHello message_seq 1. A
     * second HelloVerifyRequest loses bctls and BoringSSL clients. If this fails while CK-4
     * passes, check how the backend's cookie is made for a ClientHello whose extensions lie
     * beyond its first fragment ({@code spi.BackendCookies}), and that the server session
     * joins with every fragment of the ClientHello that carries the cookie
     * ({@code spi.ClientHelloReassembly}).
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-6")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void aClientHelloInTwoFragmentsGetsOneCookieExchange(TckRun run) throws Exception {
        oneCookieExchangeForAFragmentedClientHello(run, RawHellos.LARGE_CLIENT_HELLO_BODY, 1400, 2);
    }

    /**
     * As CK-6, in fragments for the smallest datagram size dtls4j allows (256 bytes).
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-7")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void aClientHelloInManySmallFragmentsGetsOneCookieExchange(TckRun run) throws Exception {
        oneCookieExchangeForAFragmentedClientHello(run, RawHellos.LARGE_CLIENT_HELLO_BODY, 256, 7);
    }

    /**
     * A real client whose ClientHellos reach the server in fragments (a relay cuts them for
     * 256-byte datagrams, as a path with a small MTU makes a client do, always with their last
     * 64 bytes alone so that even a small ClientHello is fragmented, and renumbers the client's
     * records) completes its handshake through the listener with one cookie exchange, and its
     * records are echoed. If this fails while CK-6 and CK-7 pass, check how
     * the server session takes the fragments of the ClientHello that follow its first one, and
     * the fragmented ClientHellos of the run's client (its first fragment must hold the cookie
     * and the fields it binds).
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-8")
    default void aRealClientWhoseClientHellosArriveFragmentedConnectsWithOneCookieExchange(TckRun run)
            throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO);
             UdpRelay relay = new UdpRelay(listener.localAddress())) {
            relay.refragmentClientHellos(256);
            try (DtlsConnection c = DtlsClient.connect(client, relay.address(), WAIT)) {
                c.send(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer echo = ByteBuffer.allocate(16);
                assertEquals(1, c.receive(echo, WAIT), "the echo of a record after the handshake");
                assertEquals(42, echo.get(0), "the echo of a record after the handshake");
            }
            assertTrue(relay.highestClientHelloSeq() >= 0, "the relay cut the client's ClientHellos");
            assertTrue(relay.highestHelloVerifyRequestSeq() <= 0, "every HelloVerifyRequest answers the client's"
                    + " first ClientHello (message_seq 0), none a second exchange; server: " + listener.stats());
            assertTrue(relay.highestClientHelloSeq() <= 1, "the client sent no ClientHello after a second"
                    + " HelloVerifyRequest (message_seq " + relay.highestClientHelloSeq() + "); server: " + listener.stats());
            assertEquals(1, listener.stats().handshakesStarted(), "one session: " + listener.stats());
        }
    }

    private void oneCookieExchangeForAFragmentedClientHello(TckRun run, int bodyLength, int datagramSize,
            int fragments) throws Exception {
        byte[] random = RawHellos.random(run.seed());
        byte[] first = RawHellos.largeClientHelloBody(random, new byte[0], bodyLength);
        List<byte[]> firstDatagrams = RawHellos.fragmented(first, 0, 0, datagramSize);
        assertEquals(fragments, firstDatagrams.size(), "the first ClientHello's fragments");
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket s = RawHellos.socket(LOOPBACK)) {
            InetSocketAddress to = listener.localAddress();
            byte[] hvr = RawHellos.exchange(s, to, firstDatagrams);
            assertTrue(hvr != null && RawHellos.isHelloVerifyRequest(hvr), "a cookie-less ClientHello in "
                    + fragments + " fragments earns a HelloVerifyRequest; server: " + listener.stats());
            byte[] second = RawHellos.largeClientHelloBody(random, RawHellos.cookieOf(hvr), bodyLength);
            List<byte[]> secondDatagrams = RawHellos.fragmented(second, 1, fragments, datagramSize);
            byte[] answer = RawHellos.exchange(s, to, secondDatagrams);
            assertTrue(answer != null, "the fragmented ClientHello with the listener's cookie must be answered; server: "
                    + listener.stats());
            assertEquals(2, RawHellos.handshakeType(answer), "the answer starts with a ServerHello (2), not a second"
                    + " HelloVerifyRequest (3) or anything else; server: " + listener.stats());
            assertEquals(1, RawHellos.messageSeq(answer), "the ServerHello after one HelloVerifyRequest is message 1");
            // The listener reads datagrams in order: every fragment of the first ClientHello was
            // handled before the second ClientHello started the session that answered.
            TransportStats stats = listener.stats();
            assertEquals(1, stats.cookiesSent(), "one HelloVerifyRequest for the first ClientHello, whatever its"
                    + " fragments: " + stats);
            assertEquals(1, stats.cookiesVerified(), "the cookie came back once and verified: " + stats);
            assertEquals(1, stats.handshakesStarted(), "the verified ClientHello started one session: " + stats);
        }
    }

    /**
     * A client whose first ClientHello was answered late sends it again and gets two
     * HelloVerifyRequests; it must still connect. Each HelloVerifyRequest echoes the record
     * sequence number of the ClientHello it answers, and an OpenSSL client keeps one replay
     * window for epoch 0 across the exchange: if this fails, check that the server's first
     * flight does not reuse a record sequence number the HelloVerifyRequests used (start
     * it above the record sequence number of the ClientHello that carried the cookie).
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CK-5")
    default void aClientThatSentItsFirstClientHelloTwiceStillConnects(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             UdpRelay relay = new UdpRelay(listener.localAddress())) {
            relay.holdFirstAnswer();
            try (DtlsConnection c = DtlsClient.connect(client, relay.address(), WAIT)) {
                DtlsConnection accepted = listener.accept(WAIT);
                c.send(ByteBuffer.wrap(new byte[] {42}));
                assertEquals(1, accepted.receive(ByteBuffer.allocate(16), WAIT), "a record after the handshake");
                assertTrue(listener.stats().cookiesSent() >= 2, "the first ClientHello went out twice: " + listener.stats());
            }
        }
    }

    private static void expectFreshCookie(DatagramSocket s, InetSocketAddress to, byte[] hello, String what) throws IOException {
        byte[] answer = RawHellos.exchange(s, to, hello);
        assertTrue(answer != null, what + " must be answered");
        assertTrue(RawHellos.isHelloVerifyRequest(answer), what + " earns a fresh HelloVerifyRequest, not an alert (type "
                + answer[0] + ")");
        assertEquals(RawHellos.messageSeq(hello), RawHellos.messageSeq(answer),
                what + ": the HelloVerifyRequest is numbered like the ClientHello it answers");
    }
}
