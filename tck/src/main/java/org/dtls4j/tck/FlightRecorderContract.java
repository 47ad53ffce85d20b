package org.dtls4j.tck;

import static org.dtls4j.tck.UdpTransportContract.LOOPBACK;
import static org.dtls4j.tck.UdpTransportContract.WAIT;
import static org.dtls4j.tck.UdpTransportContract.udpClient;
import static org.dtls4j.tck.UdpTransportContract.udpServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportStats.DropReason;
import org.junit.jupiter.api.Test;

/**
 * The api's UDP transport records JDK Flight Recorder events for the provider's sessions,
 * with no code of the provider's: {@code org.dtls4j.Handshake}, {@code org.dtls4j.Alert},
 * {@code org.dtls4j.CookieRejected} and {@code org.dtls4j.DatagramDropped}. Each test starts a
 * {@link Recording}, plays a scenario through {@link DtlsServer} and {@link DtlsClient} on
 * loopback, dumps the recording and reads its events back with {@link RecordingFile}.
 *
 * <p>If these fail while the UDP contracts pass, check that the session reports what the
 * events carry: the negotiated {@code DtlsSessionInfo} on {@code onHandshakeComplete}, a
 * {@code DtlsAlertException} with the alert and its origin on {@code onFailed}, and
 * {@code onClosed} for a received close_notify.
 *
 * @since 0.2
 */
public interface FlightRecorderContract extends TckTarget {

    /**
     * Checks rule JFR-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("JFR-1")
    default void aHandshakeAndItsCloseNotifyAreRecordedOnBothSides(TckRun run) throws Exception {
        List<RecordedEvent> events;
        InetSocketAddress serverAddress;
        InetSocketAddress clientAddress;
        DtlsSessionInfo negotiated;
        String serverProvider;
        String clientProvider;
        try (Recording recording = FlightRecorderContract.start();
             DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0))) {
            serverProvider = server.providerName();
            clientProvider = client.providerName();
            serverAddress = listener.localAddress();
            try (DtlsConnection c = DtlsClient.connect(client, serverAddress, WAIT)) {
                DtlsConnection accepted = listener.accept(WAIT);
                clientAddress = accepted.peerAddress();
                negotiated = c.info();
                accepted.close();
                assertEquals(-1, c.receive(ByteBuffer.allocate(16), WAIT), "close_notify is end of stream");
            }
            events = FlightRecorderContract.read(recording);
        }
        RecordedEvent clientHandshake = only(events, "org.dtls4j.Handshake", at(serverAddress));
        RecordedEvent serverHandshake = only(events, "org.dtls4j.Handshake", at(clientAddress));
        assertHandshake(clientHandshake, clientProvider, "client", negotiated);
        assertHandshake(serverHandshake, serverProvider, "server", negotiated);

        RecordedEvent sent = only(events, "org.dtls4j.Alert", at(clientAddress));
        RecordedEvent received = only(events, "org.dtls4j.Alert", at(serverAddress));
        assertAlert(sent, serverProvider, true, "warning", "close_notify", 0);
        assertAlert(received, clientProvider, false, "warning", "close_notify", 0);
    }

    /**
     * Checks rule JFR-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("JFR-2")
    default void aRefusedHandshakeIsRecordedWithItsFatalAlertOnBothSides(TckRun run) throws Exception {
        List<RecordedEvent> events;
        InetSocketAddress serverAddress;
        InetSocketAddress clientAddress;
        DtlsAlertException refused;
        String serverProvider;
        String clientProvider;
        try (Recording recording = FlightRecorderContract.start();
             DtlsContext server = run.serverProvider().newContext(
                     Tck.server(run, TckPki.get().untrustedServer()).retransmission(Duration.ofMillis(200),
                             Duration.ofSeconds(2)).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0))) {
            serverProvider = server.providerName();
            clientProvider = client.providerName();
            serverAddress = listener.localAddress();
            clientAddress = freePort();
            refused = assertThrows(DtlsAlertException.class,
                    () -> DtlsClient.connect(client, serverAddress, clientAddress, WAIT).close(),
                    "the client refuses a chain from an untrusted CA");
            assertEquals(DtlsAlertException.Origin.LOCAL, refused.origin(), "the client sent the alert: " + refused);
            Await.until(() -> listener.stats().handshakesFailed() >= 1, WAIT,
                    () -> "the server's handshake must fail on the client's alert: " + listener.stats());
            events = FlightRecorderContract.read(recording);
        }
        String alert = refused.alert().toString();
        int code = refused.alert().code();
        assertAlert(only(events, "org.dtls4j.Alert", at(serverAddress)), clientProvider, true, "fatal", alert, code);
        assertAlert(only(events, "org.dtls4j.Alert", at(clientAddress)), serverProvider, false, "fatal", alert, code);
        for (RecordedEvent e : List.of(only(events, "org.dtls4j.Handshake", at(serverAddress)),
                only(events, "org.dtls4j.Handshake", at(clientAddress)))) {
            assertEquals("failed", e.getString("outcome"), "a refused handshake's outcome: " + e);
            assertTrue(lostByJdkStringPool(e, "failure") || !e.getString("failure").isEmpty(),
                    "a failed handshake says why: " + e);
            assertEquals("", e.getString("cipherSuite"), "a failed handshake negotiated no suite: " + e);
        }
    }

    /**
     * Checks rule JFR-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("JFR-3")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void aRejectedCookieAndADroppedDatagramAreRecorded(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        // An application-data record from a peer without a session: dropped as NOT_HANDSHAKE.
        byte[] stray = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 42};
        List<RecordedEvent> events;
        InetSocketAddress peer;
        try (Recording recording = FlightRecorderContract.start();
             DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket s = RawHellos.socket(LOOPBACK)) {
            InetSocketAddress to = listener.localAddress();
            peer = (InetSocketAddress) s.getLocalSocketAddress();
            byte[] cookie = RawHellos.cookieOf(RawHellos.exchange(s, to, hello));
            cookie[cookie.length / 2] ^= 0x10;
            byte[] fresh = RawHellos.exchange(s, to, RawHellos.withCookie(hello, cookie));
            assertTrue(fresh != null && RawHellos.isHelloVerifyRequest(fresh), "a bad cookie earns a fresh one");
            s.send(new DatagramPacket(stray, stray.length, to));
            Await.until(() -> listener.stats().dropped(DropReason.NOT_HANDSHAKE) >= 1, WAIT,
                    () -> "the stray record must be dropped: " + listener.stats());
            events = FlightRecorderContract.read(recording);
        }
        RecordedEvent rejected = only(events, "org.dtls4j.CookieRejected", at(peer));
        assertPooledString("HelloVerifyRequest", rejected, "exchange", "the DTLS 1.2 exchange");
        List<RecordedEvent> dropped = events.stream()
                .filter(e -> e.getEventType().getName().equals("org.dtls4j.DatagramDropped")
                        && e.getString("reason").equals(DropReason.NOT_HANDSHAKE.name()))
                .collect(Collectors.toList());
        assertFalse(dropped.isEmpty(), "the stray record's drop is recorded: " + events);
        assertTrue(dropped.stream().allMatch(e -> e.getLong("count") >= 1), "each drop event counts drops: " + dropped);
    }

    /** A recording of every {@code org.dtls4j} event, started. */
    private static Recording start() {
        Recording r = new Recording();
        for (String name : List.of("Handshake", "Alert", "CookieRejected", "DatagramDropped", "SessionMigrated")) {
            r.enable("org.dtls4j." + name).withoutThreshold();
        }
        r.start();
        return r;
    }

    /** Stops {@code r}, dumps it and reads its {@code org.dtls4j} events back. */
    private static List<RecordedEvent> read(Recording r) throws IOException {
        r.stop();
        Path file = Files.createTempFile("dtls4j-tck-", ".jfr");
        try {
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("org.dtls4j."))
                    .collect(Collectors.toList());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Events whose {@code peer} field is {@code address}. */
    private static Predicate<RecordedEvent> at(InetSocketAddress address) {
        return e -> String.valueOf(address).equals(e.getString("peer"));
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name, Predicate<RecordedEvent> which) {
        List<RecordedEvent> found = events.stream()
                .filter(e -> e.getEventType().getName().equals(name) && which.test(e))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), "exactly one " + name + " for this peer, in: " + events);
        return found.get(0);
    }

    private static void assertHandshake(RecordedEvent e, String provider, String role, DtlsSessionInfo negotiated) {
        assertEquals(provider, e.getString("provider"), "the provider: " + e);
        assertEquals(role, e.getString("role"), "the role: " + e);
        assertEquals("established", e.getString("outcome"), "the outcome: " + e);
        assertEquals(negotiated.protocolVersion().standardName(), e.getString("protocolVersion"), "the version: " + e);
        assertPooledString(negotiated.cipherSuite(), e, "cipherSuite", "the suite");
        assertFalse(e.getBoolean("resumed"), "a first handshake is not resumed: " + e);
        assertTrue(e.getLong("retransmissions") >= 0, "retransmissions are counted: " + e);
        assertTrue(!e.getDuration().isNegative() && !e.getDuration().isZero(), "a handshake takes time: " + e);
    }

    private static void assertAlert(RecordedEvent e, String provider, boolean sent, String level, String description,
                                    int code) {
        assertEquals(provider, e.getString("provider"), "the provider: " + e);
        assertEquals(sent, e.getBoolean("sent"), "sent or received: " + e);
        assertEquals(level, e.getString("level"), "the level: " + e);
        assertEquals(description, e.getString("description"), "the alert: " + e);
        assertEquals(code, e.getInt("code"), "the alert's code: " + e);
    }

    /**
     * Asserts a string field of 17 to 127 characters, the lengths JFR keeps in its string pool.
     * JDK 17's pool marks its cache with a one-bit epoch, so a string pooled two chunk rotations
     * earlier (every recording's start, dump and stop rotates) is taken as written to the
     * current chunk when it is not, and reads back as null: the JDK loses it, not the
     * transport. On such a JDK a null there is accepted; any other value must be right.
     */
    private static void assertPooledString(String expected, RecordedEvent e, String field, String what) {
        if (!lostByJdkStringPool(e, field)) {
            assertEquals(expected, e.getString(field), what + ": " + e);
        }
    }

    /** Whether {@code field} of {@code e} reads null on a JDK whose string pool can lose it (see above). */
    private static boolean lostByJdkStringPool(RecordedEvent e, String field) {
        return e.getString(field) == null && Runtime.version().feature() < 21;
    }

    /** A loopback address with a port free now, for a client whose address the test must know before it connects. */
    private static InetSocketAddress freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return (InetSocketAddress) probe.getLocalSocketAddress();
        }
    }
}
