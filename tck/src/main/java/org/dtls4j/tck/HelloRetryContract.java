package org.dtls4j.tck;

import static org.dtls4j.tck.UdpTransportContract.LOOPBACK;
import static org.dtls4j.tck.UdpTransportContract.udpClient;
import static org.dtls4j.tck.UdpTransportContract.udpServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSession;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportStats;
import org.dtls4j.spi.ClientHellos;
import org.junit.jupiter.api.Test;

/**
 * The listener's DTLS 1.3 cookie exchange (RFC 9147 section 5.1), over UDP on 127.0.0.1: a
 * cookie-less ClientHello earns the backend's HelloRetryRequest and no session; the cookie is
 * accepted only from the address it was sent to, unaltered; a bad one earns nothing (a 1.3
 * client aborts on a second HelloRetryRequest). A real client session of the run's client
 * provider makes the ClientHellos; the test carries them by hand.
 *
 * <p>If these fail while the listener's other contracts pass in the DTLS 1.3 run, check the
 * context's {@code spi.HelloRetryCookies}: the cookie must be bound to the client's address,
 * and the session made for a verified client must accept it.
 *
 * @since 0.1
 */
public interface HelloRetryContract extends TckTarget {

    /** The random of every HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 section 4.1.3). */
    byte[] HELLO_RETRY_RANDOM = {(byte) 0xcf, 0x21, (byte) 0xad, 0x74, (byte) 0xe5, (byte) 0x9a, 0x61, 0x11,
        (byte) 0xbe, 0x1d, (byte) 0x8c, 0x02, 0x1e, 0x65, (byte) 0xb8, (byte) 0x91, (byte) 0xc2, (byte) 0xa2, 0x11,
        0x16, 0x7a, (byte) 0xbb, (byte) 0x8c, 0x5e, 0x07, (byte) 0x9e, 0x09, (byte) 0xe2, (byte) 0xc8, (byte) 0xa8,
        0x33, (byte) 0x9c};

    /**
     * Checks rule HR-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("HR-1")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "the HelloRetryRequest cookie exchange is DTLS 1.3's")
    default void aCookielessDtls13ClientHelloEarnsOneHelloRetryRequestAndNoSession(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket a = RawHellos.socket(LOOPBACK);
             HandDrivenClient client = new HandDrivenClient(run, listener.localAddress())) {
            byte[] hello = client.flight().get(0);
            byte[] retry = RawHellos.exchange(a, listener.localAddress(), hello);
            assertNotNull(retry, "a cookie-less DTLS 1.3 ClientHello must be answered; server: " + listener.stats());
            assertTrue(isHelloRetryRequest(retry), "the answer is a HelloRetryRequest (a ServerHello with RFC 8446's"
                    + " random) in an epoch-0 record");
            assertTrue(retry.length <= hello.length, "the HelloRetryRequest (" + retry.length
                    + " bytes) is never larger than the ClientHello (" + hello.length + ")");
            assertNull(RawHellos.receive(a, Tck.QUIET), "one answer, not more");
            TransportStats stats = listener.stats();
            assertEquals(1, stats.cookiesSent(), "the HelloRetryRequest is counted as a cookie sent: " + stats);
            assertEquals(0, stats.handshakesStarted(), "a cookie-less ClientHello starts no session: " + stats);
            assertEquals(0, stats.liveSessions(), "the peer table stays empty: " + stats);
        }
    }

    /**
     * Checks rule HR-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("HR-2")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "the HelloRetryRequest cookie exchange is DTLS 1.3's")
    default void aDtls13CookieIsAcceptedOnlyUnalteredAndFromTheAddressItWasSentTo(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket a = RawHellos.socket(LOOPBACK);
             DatagramSocket b = RawHellos.socket(LOOPBACK);
             HandDrivenClient client = new HandDrivenClient(run, listener.localAddress())) {
            InetSocketAddress to = listener.localAddress();
            byte[] retry = RawHellos.exchange(a, to, client.flight().get(0));
            assertNotNull(retry, "a cookie-less DTLS 1.3 ClientHello must be answered; server: " + listener.stats());
            List<byte[]> second = client.answer(retry);
            assertTrue(second.get(0).length > 13 + 12 && second.get(0)[13] == 1, "the client answers with a ClientHello");

            sendAll(b, to, second);
            Await.until(() -> listener.stats().cookiesRejected() == 1, UdpTransportContract.WAIT,
                    () -> "the cookie returned from another port is rejected: " + listener.stats());
            assertNull(RawHellos.receive(b, Tck.QUIET), "the cookie returned from another port earns nothing: " + listener.stats());
            List<byte[]> altered = new ArrayList<>(second);
            altered.set(0, withAlteredCookie(second.get(0)));
            sendAll(a, to, altered);
            Await.until(() -> listener.stats().cookiesRejected() == 2, UdpTransportContract.WAIT,
                    () -> "an altered cookie is rejected: " + listener.stats());
            assertNull(RawHellos.receive(a, Tck.QUIET), "an altered cookie earns nothing: " + listener.stats());
            TransportStats before = listener.stats();
            assertEquals(0, before.handshakesStarted(), "no bad cookie may create a session: " + before);

            sendAll(a, to, second);
            byte[] answer = RawHellos.receive(a, Tck.EVENT);
            assertNotNull(answer, "the cookie from its own address is accepted; server: " + listener.stats());
            assertEquals(2, RawHellos.handshakeType(answer), "the answer starts with a ServerHello");
            assertTrue(!isHelloRetryRequest(answer), "a ServerHello, not a second HelloRetryRequest");
            assertEquals(1, listener.stats().handshakesStarted(), "the verified ClientHello started one session");
        }
    }

    /**
     * A first ClientHello in fragments (as post-quantum key shares make them) is answered once
     * whole: the backend's cookie carries the hash of the whole message, so the listener holds
     * the fragments (a bounded table) and the handshake goes on with one exchange.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("HR-3")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "the HelloRetryRequest cookie exchange is DTLS 1.3's")
    default void aFragmentedFirstDtls13ClientHelloEarnsOneHelloRetryRequestOnceWhole(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket a = RawHellos.socket(LOOPBACK);
             HandDrivenClient client = new HandDrivenClient(run, listener.localAddress())) {
            InetSocketAddress to = listener.localAddress();
            byte[] hello = client.flight().get(0);
            byte[] body = Arrays.copyOfRange(hello, 13 + 12, hello.length);
            assertEquals(body.length, (hello[13 + 1] & 0xff) << 16 | (hello[13 + 2] & 0xff) << 8 | (hello[13 + 3] & 0xff),
                    "the client's first ClientHello comes whole in one record");
            List<byte[]> fragments = RawHellos.fragmented(body, 0, 0, 13 + 12 + body.length / 2 + 1);
            assertEquals(2, fragments.size(), "the first ClientHello in two fragments");
            byte[] retry = RawHellos.exchange(a, to, fragments);
            assertNotNull(retry, "a fragmented first DTLS 1.3 ClientHello must be answered once whole; server: "
                    + listener.stats());
            assertTrue(isHelloRetryRequest(retry), "the answer is a HelloRetryRequest");
            // the listener counts what it sent after sending it
            Await.until(() -> listener.stats().cookiesSent() == 1, Tck.EVENT,
                    () -> "one HelloRetryRequest: " + listener.stats());
            assertEquals(0, listener.stats().handshakesStarted(), "and no session yet: " + listener.stats());
            byte[] answer = RawHellos.exchange(a, to, client.answer(retry));
            assertNotNull(answer, "the ClientHello returning the cookie is answered; server: " + listener.stats());
            assertTrue(RawHellos.handshakeType(answer) == 2 && !isHelloRetryRequest(answer),
                    "the answer is a ServerHello, not a second HelloRetryRequest");
            assertEquals(1, listener.stats().handshakesStarted(), "the verified ClientHello started one session");
        }
    }

    /** Whether a datagram's first record is an epoch-0 ServerHello with the HelloRetryRequest random. */
    private static boolean isHelloRetryRequest(byte[] d) {
        int random = 13 + 12 + 2;
        return RawHellos.handshakeType(d) == 2 && d.length >= random + 32
                && Arrays.equals(d, random, random + 32, HELLO_RETRY_RANDOM, 0, 32);
    }

    /** {@code hello} with one bit of its cookie extension's cookie flipped. */
    private static byte[] withAlteredCookie(byte[] hello) {
        ClientHellos reader = new ClientHellos();
        assertEquals(ClientHellos.Verdict.CLIENT_HELLO, reader.read(ByteBuffer.wrap(hello)), "a ClientHello");
        ByteBuffer cookie = reader.retryCookie(ByteBuffer.wrap(hello))
                .orElseThrow(() -> new AssertionError("the second ClientHello returns a cookie in its first fragment"));
        byte[] c = new byte[cookie.remaining()];
        cookie.get(c);
        for (int at = 0; at + c.length <= hello.length; at++) {
            if (Arrays.equals(hello, at, at + c.length, c, 0, c.length)) {
                byte[] altered = hello.clone();
                altered[at + c.length / 2] ^= 0x10;
                return altered;
            }
        }
        throw new AssertionError("the cookie is not in the ClientHello");
    }

    private static void sendAll(DatagramSocket socket, InetSocketAddress to, List<byte[]> datagrams) throws IOException {
        for (byte[] d : datagrams) {
            socket.send(new DatagramPacket(d, d.length, to));
        }
    }

    /** A client session of the run's client provider whose datagrams the test carries by hand. */
    final class HandDrivenClient implements AutoCloseable {
        private final DtlsContext context;
        private final DtlsSession session;
        private final RecordingListener events = new RecordingListener();

        HandDrivenClient(TckRun run, InetSocketAddress server) {
            this.context = run.clientProvider().newContext(udpClient(run).build());
            this.session = context.newClientSession(server, events);
            session.beginHandshake();
        }

        /** What the client has sent and the test has not taken yet. */
        List<byte[]> flight() {
            List<byte[]> out = new ArrayList<>();
            events.outbox().drainTo(out);
            assertTrue(!out.isEmpty(), "the client sent nothing");
            return out;
        }

        /** The client's answer to {@code datagram} from the server. */
        List<byte[]> answer(byte[] datagram) {
            session.receive(ByteBuffer.wrap(datagram));
            return flight();
        }

        @Override
        public void close() {
            session.close();
            context.close();
        }
    }
}
