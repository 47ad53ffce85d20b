package org.dtls4j.tck;

import static org.dtls4j.tck.UdpTransportContract.ECHO;
import static org.dtls4j.tck.UdpTransportContract.LOOPBACK;
import static org.dtls4j.tck.UdpTransportContract.WAIT;
import static org.dtls4j.tck.UdpTransportContract.udpClient;
import static org.dtls4j.tck.UdpTransportContract.udpServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.junit.jupiter.api.Test;

/**
 * What a stranger's hostile ClientHellos get from the listener over UDP on 127.0.0.1: no
 * session for one in the wrong epoch or numbered as a later message, and never an answer
 * larger than what came in before a cookie verifies.
 *
 * <p>If these fail, check the listener ({@code DtlsServer}) first: it alone reads a stranger's
 * datagrams; for DTLS 1.3 also the provider's {@code spi.BackendCookies}, whose
 * HelloRetryRequest the listener sends.
 *
 * @since 0.1
 */
public interface HostileListenerContract extends TckTarget {

    /**
     * Checks rule HL-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("HL-1")
    default void aStrangersClientHelloInEpochOneOrNumberedAboveZeroStartsNothingAndIsCounted(TckRun run)
            throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        byte[] epochOne = hello.clone();
        epochOne[4] = 1;
        byte[] numberedThree = hello.clone();
        numberedThree[HostileRecords.HEADER + 5] = 3;
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO);
             DatagramSocket socket = RawHellos.socket(LOOPBACK)) {
            int copies = 5;
            for (int i = 0; i < copies; i++) {
                for (byte[] d : new byte[][] {epochOne, numberedThree}) {
                    socket.send(new DatagramPacket(d, d.length, listener.localAddress()));
                }
            }
            Await.until(() -> listener.stats().droppedTotal() >= 2L * copies, WAIT,
                    () -> "each ClientHello in epoch 1 or numbered 3 must be counted as dropped: " + listener.stats());
            assertNull(RawHellos.receive(socket, Tck.QUIET), "no answer, not even a cookie, to such a ClientHello");
            TransportStats stats = listener.stats();
            assertEquals(0, stats.handshakesStarted(), "no session starts: " + stats);
            assertEquals(0, stats.liveSessions(), "the peer table stays empty: " + stats);
            assertEquals(0, stats.cookiesSent(), "no cookie is spent on them: " + stats);
        }
    }

    /**
     * Checks rule HL-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("HL-2")
    default void theListenerNeverAnswersWithMoreBytesThanCameInBeforeACookieVerifies(TckRun run) throws Exception {
        Map<String, byte[]> hellos = new LinkedHashMap<>();
        hellos.put("the client's own first ClientHello", RawHellos.firstClientHello(run.clientProvider(),
                udpClient(run).build()));
        hellos.put("the smallest ClientHello (one suite, no extension)", smallestClientHello(run.seed()));
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO)) {
            boolean first = true;
            for (Map.Entry<String, byte[]> e : hellos.entrySet()) {
                byte[] hello = e.getValue();
                try (DatagramSocket socket = RawHellos.socket(LOOPBACK)) {
                    socket.send(new DatagramPacket(hello, hello.length, listener.localAddress()));
                    int answered = 0;
                    int answers = 0;
                    for (byte[] a = RawHellos.receive(socket, first ? Tck.EVENT : Tck.QUIET); a != null;
                         a = RawHellos.receive(socket, Tck.QUIET)) {
                        answered += a.length;
                        answers++;
                    }
                    if (first) {
                        assertTrue(answers > 0, e.getKey() + " must earn a cookie: " + listener.stats());
                    }
                    assertTrue(answered <= hello.length, e.getKey() + " (" + hello.length + " bytes) was answered with "
                            + answered + " bytes in " + answers + " datagrams, before any cookie verified: "
                            + listener.stats());
                }
                first = false;
            }
            assertEquals(0, listener.stats().handshakesStarted(), "no session starts: " + listener.stats());
        }
    }

    /** A DTLS 1.2 ClientHello of one suite and no extension, in one datagram: 67 bytes. */
    private static byte[] smallestClientHello(long seed) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0xfe);
        body.write(0xfd);
        body.writeBytes(RawHellos.random(seed));
        body.write(0); // session_id
        body.write(0); // cookie
        body.writeBytes(new byte[] {0, 2, (byte) 0xc0, 0x2b, 1, 0}); // ECDHE-ECDSA-AES128-GCM-SHA256; null compression
        return RawHellos.fragmented(body.toByteArray(), 0, 0, 1500).get(0);
    }
}
