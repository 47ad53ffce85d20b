package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsTimeoutException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.junit.jupiter.api.Test;

/**
 * The provider's sessions behind the api's UDP transport on 127.0.0.1: one socket for many
 * peers, limits, timeouts and restarts ({@link CookieExchangeContract} has the listener's
 * stateless cookie exchange).
 *
 * <p>If these fail while the in-memory contracts pass, check how the provider's server
 * session continues from a ClientHello whose cookie the listener already verified (its
 * first datagram carries the cookie and message_seq 1), and that its sessions need nothing
 * from the socket but the datagrams.
 *
 * <p>Over the project's 450 lines: one rule per method, each a whole scenario through the real
 * sockets, and the echo server and configurations the other UDP contracts share
 * ({@link #udpServer}, {@link #udpClient}, {@link #ECHO}); a new group of UDP rules belongs in
 * a contract of its own, as {@link MigrationContract} and {@link ReusePortContract} are.
 *
 * @since 0.1
 */
public interface UdpTransportContract extends TckTarget {

    /** The loopback address every UDP test binds and connects to. */
    InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long a UDP test waits for any one event before it fails. */
    Duration WAIT = Duration.ofSeconds(5);

    /**
     * A server config for real sockets: retransmission starts at 200 ms, because on a loaded
     * two-core machine tens of milliseconds set off retransmission storms that overflow the
     * socket buffers, and loopback then loses datagrams like any network.
     *
     * @param run the run, whose protocol version the config is for
     * @return a builder for the server's config, to which a test adds its settings
     */
    static DtlsConfig.Builder udpServer(TckRun run) {
        return Tck.server(run).retransmission(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /**
     * A client config for real sockets (see {@link #udpServer(TckRun)}).
     *
     * @param run the run, whose protocol version the config is for
     * @return a builder for the client's config, to which a test adds its settings
     */
    static DtlsConfig.Builder udpClient(TckRun run) {
        return Tck.client(run).retransmission(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /** An echo handler: every record goes back to the connection it came from. */
    DtlsConnectionHandler ECHO = new DtlsConnectionHandler() {
        @Override
        public void onConnected(DtlsConnection connection) {
        }

        @Override
        public void onRecord(DtlsConnection connection, ByteBuffer record) {
            try {
                connection.send(record);
            } catch (IOException | DtlsException e) {
                // the peer went away; nothing to echo to
            }
        }
    };

    /**
     * Checks rule UDP-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-1")
    default void fiftyConcurrentClientsEachEchoAHundredTaggedRecordsOnOneSocket(TckRun run) throws Exception {
        int clients = 50;
        int records = 100;
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int id = c;
                    results.add(pool.submit(() -> echoTagged(client, listener.localAddress(), id, records)));
                }
                for (Future<Integer> r : results) {
                    try {
                        assertEquals(records, r.get(60, TimeUnit.SECONDS), "every record comes back once, to its sender");
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError(e.getCause().getMessage() + "; server: " + listener.stats(), e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            TransportStats stats = listener.stats();
            assertEquals(clients, stats.handshakesCompleted(), "one handshake per client: " + stats);
            assertEquals(clients * records, stats.recordsIn(), "every record arrived once at the server: " + stats);
        }
    }

    private static int echoTagged(DtlsContext context, InetSocketAddress server, int id, int records) throws IOException {
        try (DtlsConnection c = DtlsClient.connect(context, server, WAIT)) {
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < records; i++) {
                byte[] tag = ("client-" + id + "-record-" + i).getBytes();
                c.send(ByteBuffer.wrap(tag));
                in.clear();
                int n;
                try {
                    n = c.receive(in, WAIT);
                } catch (DtlsTimeoutException e) {
                    throw new AssertionError("client " + id + " got no echo of record " + i + "; its counters: "
                            + c.stats(), e);
                }
                byte[] got = new byte[n];
                in.flip().get(got);
                assertArrayEquals(tag, got, "client " + id + " must get its own record " + i + " back");
            }
            return records;
        }
    }

    /**
     * The cookie exchange and the handshake through the listener survive a lossy path, for
     * many clients at once: twenty clients, each behind a relay of its own that loses 15%
     * and duplicates 10% of datagrams both ways (seeded per client), connect together and
     * each gets a record echoed. If this fails while the in-memory lossy handshake passes,
     * look at what the listener and the joined server session do with a lost or repeated
     * HelloVerifyRequest, ClientHello or flight, and at the record numbers they send.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-2")
    default void twentyClientsThroughTheListenerSurviveLossAndDuplication(TckRun run) throws Exception {
        long seed = run.seed();
        int clients = 20;
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    long clientSeed = seed + i;
                    results.add(pool.submit(() -> lossyEcho(client, listener.localAddress(), clientSeed)));
                }
                List<String> failures = new ArrayList<>();
                for (Future<String> r : results) {
                    String outcome = r.get(60, TimeUnit.SECONDS);
                    if (!outcome.isEmpty()) {
                        failures.add(outcome);
                    }
                }
                assertTrue(failures.isEmpty(), failures + "; server: " + listener.stats());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** One client behind a lossy relay: connects and gets a record echoed; "" or what failed. */
    private static String lossyEcho(DtlsContext client, InetSocketAddress server, long seed) throws IOException {
        try (UdpRelay relay = new UdpRelay(server)) {
            relay.degrade(seed, 0.15, 0.10);
            try (DtlsConnection c = DtlsClient.connect(client, relay.address(), Tck.LOSSY_HANDSHAKE)) {
                ByteBuffer in = ByteBuffer.allocate(16);
                for (int attempt = 0; attempt < 40; attempt++) {
                    c.send(ByteBuffer.wrap(new byte[] {7}));
                    in.clear();
                    try {
                        if (c.receive(in, Duration.ofMillis(250)) == 1) {
                            return "";
                        }
                    } catch (DtlsTimeoutException lost) {
                        // the record or its echo was lost on the way: send another
                    }
                }
                return "seed " + seed + ": no echo in 40 tries";
            } catch (DtlsException e) {
                return "seed " + seed + ": " + e;
            }
        }
    }

    /**
     * Checks rule UDP-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-3")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void handshakeLimitDropsNewHandshakesWhileEstablishedPeersKeepWorking(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).handshakeTimeout(Duration.ofSeconds(3)).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.builder().maxHandshakes(1).build(), ECHO);
             DtlsConnection established = DtlsClient.connect(client, listener.localAddress(), WAIT);
             DatagramSocket halfOpen = RawHellos.socket(LOOPBACK)) {
            // The client may finish before the server has counted its side as complete (a
            // provider can report completion on its own thread): wait until the slot is free.
            Await.until(() -> listener.stats().handshakesCompleted() == 1, WAIT,
                    () -> "the server must count the first handshake as complete: " + listener.stats());
            byte[] hvr = RawHellos.exchange(halfOpen, listener.localAddress(), hello);
            RawHellos.exchange(halfOpen, listener.localAddress(), RawHellos.withCookie(hello, RawHellos.cookieOf(hvr)));
            Await.until(() -> listener.stats().handshakesStarted() == 2, WAIT, () -> "the half-open handshake must start");
            assertThrows(DtlsException.class, () -> DtlsClient.connect(client, listener.localAddress(), Duration.ofMillis(600)),
                    "a handshake beyond maxHandshakes must not complete");
            assertTrue(listener.stats().dropped(TransportStats.DropReason.HANDSHAKE_LIMIT) > 0,
                    "the refused handshake is counted: " + listener.stats());
            established.send(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, established.receive(ByteBuffer.allocate(16), WAIT), "an established peer keeps working");
        }
    }

    /**
     * Checks rule UDP-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-4")
    default void idleTimeoutClosesAndFreesASession(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.builder().idleTimeout(Duration.ofMillis(300)).build());
             DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), WAIT)) {
            DtlsConnection accepted = listener.accept(WAIT);
            assertEquals(1, listener.stats().liveSessions());
            assertEquals(-1, accepted.receive(ByteBuffer.allocate(16), WAIT), "an idle session ends: end of stream");
            Await.until(() -> listener.stats().liveSessions() == 0, WAIT, () -> "the idle session must be freed");
        }
    }

    /**
     * Checks rule UDP-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-5")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.HELLO_VERIFY_REQUEST_ONLY)
    default void stalledHandshakesAreReaped(TckRun run) throws Exception {
        byte[] hello = RawHellos.firstClientHello(run.clientProvider(), udpClient(run).build());
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).handshakeTimeout(Duration.ofMillis(300)).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket halfOpen = RawHellos.socket(LOOPBACK)) {
            byte[] hvr = RawHellos.exchange(halfOpen, listener.localAddress(), hello);
            RawHellos.exchange(halfOpen, listener.localAddress(), RawHellos.withCookie(hello, RawHellos.cookieOf(hvr)));
            Await.until(() -> listener.stats().handshakesStarted() == 1, WAIT, () -> "the handshake must start");
            Await.until(() -> listener.stats().liveSessions() == 0, WAIT,
                    () -> "a stalled handshake must be reaped: " + listener.stats());
            assertEquals(1, listener.stats().handshakesFailed(), "and counted as failed");
        }
    }

    /**
     * Checks rule UDP-6 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-6")
    default void clientRestartingOnTheSamePortGetsANewSessionAndTheOldOneIsReleased(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             UdpRelay relay = new UdpRelay(listener.localAddress())) {
            DtlsConnection first = DtlsClient.connect(client, relay.address(), WAIT);
            DtlsConnection oldAccepted = listener.accept(WAIT);
            assertEquals(relay.upstreamAddress(), oldAccepted.peerAddress());
            relay.swallowClients(true);
            first.close(); // a crash: its close_notify never reaches the server
            relay.swallowClients(false);
            try (DtlsConnection second = DtlsClient.connect(client, relay.address(), WAIT)) {
                DtlsConnection newAccepted = listener.accept(WAIT);
                assertEquals(oldAccepted.peerAddress(), newAccepted.peerAddress(), "the same address and port");
                assertEquals(-1, oldAccepted.receive(ByteBuffer.allocate(16), WAIT), "the old session is released");
                second.send(ByteBuffer.wrap(new byte[] {3}));
                assertEquals(1, newAccepted.receive(ByteBuffer.allocate(16), WAIT), "the new session works");
                assertEquals(1, listener.stats().liveSessions(), "one session for the address: " + listener.stats());
            }
        }
    }

    /**
     * Checks rule UDP-7 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-7")
    default void fatalAlertFromOnePeerLeavesTheOthersRunning(TckRun run) throws Exception {
        DtlsConfig distrustful = udpClient(run)
                .trustedCertificates(TckPki.get().untrustedServer().certificateChain().get(1)).build();
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext good = run.clientProvider().newContext(udpClient(run).build());
             DtlsContext bad = run.clientProvider().newContext(distrustful);
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.defaults(), ECHO);
             DtlsConnection survivor = DtlsClient.connect(good, listener.localAddress(), WAIT)) {
            DtlsException e = assertThrows(DtlsException.class, () -> DtlsClient.connect(bad, listener.localAddress(), WAIT),
                    "a client that distrusts the server fails with an alert");
            assertInstanceOf(org.dtls4j.DtlsAlertException.class, e, "an alert, not " + e);
            Await.until(() -> listener.stats().handshakesFailed() == 1, WAIT,
                    () -> "the server must see the alert: " + listener.stats());
            survivor.send(ByteBuffer.wrap(new byte[] {4}));
            assertEquals(1, survivor.receive(ByteBuffer.allocate(16), WAIT), "the other peer keeps working");
        }
    }

    /**
     * Checks rule UDP-8 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-8")
    default void receiveTimeoutLeavesTheConnectionUsable(TckRun run) throws Exception {
        withAcceptedConnection(run, (c, accepted) -> {
            assertThrows(DtlsTimeoutException.class, () -> c.receive(ByteBuffer.allocate(16), Duration.ofMillis(50)),
                    "nothing arrives: a timeout");
            accepted.send(ByteBuffer.wrap(new byte[] {5, 6}));
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(2, c.receive(in, WAIT), "the connection still works after a timeout");
        });
    }

    /**
     * Checks rule UDP-9 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-9")
    default void closeNotifyThroughTheListenerIsEndOfStream(TckRun run) throws Exception {
        withAcceptedConnection(run, (c, accepted) -> {
            accepted.close();
            assertEquals(-1, c.receive(ByteBuffer.allocate(16), WAIT), "close_notify is end of stream");
            assertEquals(-1, c.receive(ByteBuffer.allocate(16), WAIT), "and stays end of stream");
            assertThrows(org.dtls4j.DtlsClosedException.class, () -> accepted.send(ByteBuffer.wrap(new byte[] {1})),
                    "a closed connection refuses to send");
        });
    }

    /**
     * What a test does with a client connection and its server side, accepted through a
     * listener. Called on the test's thread; implementations need not be thread-safe.
     */
    interface ConnectedPair {
        /**
         * Runs the test's part with both ends of the connection.
         *
         * @param client the client's connection
         * @param accepted the server's connection to that client, as the listener accepted it
         * @throws Exception a failure, which fails the test
         */
        void accept(DtlsConnection client, DtlsConnection accepted) throws Exception;
    }

    /** Connects a client through a listener, runs {@code test} on both ends, closes everything. */
    private static void withAcceptedConnection(TckRun run, ConnectedPair test) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0));
             DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), WAIT)) {
            DtlsConnection accepted = listener.accept(WAIT);
            test.accept(c, accepted);
        }
    }

    /**
     * Checks rule UDP-10 of {@code tck/RULES.md}, which gives the rule, its source and what to
     * check first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-10")
    default void smallestDatagramSizeWorksThroughTheListener(TckRun run) throws Exception {
        int size = DtlsConfig.MIN_DATAGRAM_SIZE;
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).maxDatagramSize(size).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).maxDatagramSize(size).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0), TransportOptions.defaults(), ECHO);
             DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), WAIT)) {
            byte[] record = new byte[c.maxRecordSize()];
            c.send(ByteBuffer.wrap(record));
            assertEquals(record.length, c.receive(ByteBuffer.allocate(size), WAIT),
                    "a maximum-size record echoes at the smallest datagram size " + size);
        }
    }

    /**
     * Checks rule UDP-11 of {@code tck/RULES.md}, which gives the rule, its source and what to
     * check first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-11")
    default void icmpPortUnreachableNeverEndsASession(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0), TransportOptions.defaults(), ECHO)) {
            UdpRelay relay = new UdpRelay(listener.localAddress());
            try (DtlsConnection c = DtlsClient.connect(client, relay.address(), WAIT)) {
                relay.close(); // the path's port is gone: the kernel answers with ICMP port unreachable
                for (int i = 0; i < 3; i++) {
                    c.send(ByteBuffer.wrap(new byte[] {1}));
                    assertThrows(DtlsTimeoutException.class, () -> c.receive(ByteBuffer.allocate(16), Duration.ofMillis(100)),
                            "nothing can come back through a closed port");
                }
                assertTrue(c.isOpen(), "an ICMP error must not end the session");
                assertTrue(c.stats().dropped(TransportStats.DropReason.ICMP) > 0,
                        "the ICMP errors are counted: " + c.stats());
            } finally {
                relay.close();
            }
        }
    }

    /**
     * Checks rule UDP-12 of {@code tck/RULES.md}, which gives the rule, its source and what to
     * check first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-12")
    default void serverOnIpv6LoopbackAcceptsClients(TckRun run) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        DtlsServer listener;
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build())) {
            try {
                listener = DtlsServer.bind(server, new InetSocketAddress(v6, 0));
            } catch (IOException e) {
                org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
                return;
            }
            try (listener; DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), WAIT)) {
                assertNotEquals(0, listener.localAddress().getPort(), "port 0 binds an ephemeral port");
                c.send(ByteBuffer.wrap(new byte[] {8}));
                assertEquals(1, listener.accept(WAIT).receive(ByteBuffer.allocate(16), WAIT), "a record over IPv6");
            }
        }
    }

    /**
     * Checks rule UDP-13 of {@code tck/RULES.md}, which gives the rule, its source and what to
     * check first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("UDP-13")
    default void aClientWithoutConnectionIdsThatRebindsGetsANewHandshakeAndItsOldSessionIdlesOut(TckRun run)
            throws Exception {
        EchoRecorder echoes = new EchoRecorder();
        try (DtlsContext server = run.serverProvider().newContext(udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.builder().idleTimeout(Duration.ofMillis(1500)).build(), echoes);
             UdpRelay relay = new UdpRelay(listener.localAddress());
             DtlsConnection first = DtlsClient.connect(client, relay.address(), WAIT)) {
            DtlsConnection oldAccepted = Await.next(echoes.connections(), WAIT, () -> "the server's connection");
            first.send(EchoRecorder.tagged(1));
            assertEquals(4, first.receive(ByteBuffer.allocate(16), WAIT), "the echo before the rebind");
            InetSocketAddress now = relay.rebind();
            long dropped = listener.stats().droppedTotal();
            first.send(EchoRecorder.tagged(2));
            assertThrows(DtlsTimeoutException.class, () -> first.receive(ByteBuffer.allocate(16), Duration.ofMillis(200)),
                    "a record from an address the server does not know gets no answer: a timeout, not a hang");
            Await.until(() -> listener.stats().droppedTotal() > dropped, WAIT,
                    () -> "the server drops a record from an unknown address and counts it: " + listener.stats());
            try (DtlsConnection second = DtlsClient.connect(client, relay.address(), WAIT)) {
                DtlsConnection newAccepted = Await.next(echoes.connections(), WAIT, () -> "a new connection");
                assertEquals(now, newAccepted.peerAddress(), "the new handshake comes from the new address");
                second.send(EchoRecorder.tagged(3));
                assertEquals(4, second.receive(ByteBuffer.allocate(16), WAIT), "the new session works");
                Await.until(() -> !oldAccepted.isOpen(), WAIT, () -> "the old session must end by its idle timeout");
                assertEquals(0, listener.stats().migrations(), "without connection IDs nothing moves: " + listener.stats());
                assertEquals(0, echoes.times(2), "the record sent from the new address before a handshake is lost");
            }
        }
    }
}
