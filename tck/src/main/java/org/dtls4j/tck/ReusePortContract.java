package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Capability;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.junit.jupiter.api.Test;

/**
 * One {@link DtlsServer} port served by two I/O threads ({@code TransportOptions.ioThreads(2)}:
 * two sockets bound with {@code SO_REUSEPORT}, among which the kernel spreads clients by
 * address and port): clients connect and echo whichever socket they reach, every cookie
 * verifies on the socket it reaches, the server's counters add up, and a client whose address
 * changes keeps its session when the new address reaches the other socket.
 *
 * <p>A cookie made on one socket and returned to the other is not played here: the kernel
 * picks the socket by the client's address and port (on Linux 6.18, not by the server
 * address it was sent to), so a client's two ClientHellos reach the same socket while the
 * sockets stay the same. The api's own tests check that case on the listener's front doors.
 *
 * <p>If these fail while {@link UdpTransportContract} passes, check that the provider's
 * context may be used from two threads at once (two sessions created, two cookies made or
 * checked at the same time: {@code spi.BackendCookies} and {@code spi.HelloRetryCookies} are
 * called from every I/O thread) and that a session needs nothing of the thread that made it.
 *
 * @since 0.2
 */
public interface ReusePortContract extends TckTarget {

    /** The server's I/O threads in these rules. */
    int IO_THREADS = 2;
    /** How long a client waits for a handshake or an echo here. */
    Duration WAIT = Duration.ofSeconds(5);

    private static TransportOptions twoThreads() {
        return TransportOptions.builder().ioThreads(IO_THREADS).build();
    }

    /**
     * Twenty clients, each from a port of its own, connect to a server with two I/O threads
     * and echo twenty tagged records each; their sessions run on both threads and the
     * server's counters add up to its connections' and its front door's.
     *
     * @param run the providers and the protocol version of this run
     * @throws Exception if the sockets fail; a broken rule fails an assertion
     */
    @Test
    @RuleId("RP-1")
    default void twentyClientsFromTwentyPortsConnectAndEchoThroughTwoIoThreadsAndTheCountersAddUp(TckRun run)
            throws Exception {
        int clients = 20;
        int records = 20;
        EchoRecorder echoes = new EchoRecorder();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        DtlsConnectionHandler handler = new DtlsConnectionHandler() {
            @Override
            public void onConnected(DtlsConnection connection) {
                threads.add(Thread.currentThread().getName());
                echoes.onConnected(connection);
            }

            @Override
            public void onRecord(DtlsConnection connection, ByteBuffer record) {
                echoes.onRecord(connection, record);
            }
        };
        try (DtlsContext server = run.serverProvider().newContext(UdpTransportContract.udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(UdpTransportContract.udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(UdpTransportContract.LOOPBACK, 0),
                     twoThreads(), handler)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int id = c;
                    done.add(pool.submit(() -> echoTagged(client, listener.localAddress(), id, records)));
                }
                for (Future<?> f : done) {
                    try {
                        f.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw new AssertionError(e.getCause().getMessage() + "; server: " + listener.stats(), e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            List<DtlsConnection> accepted = new ArrayList<>(echoes.connections());
            TransportStats s = listener.stats();
            assertEquals(clients, accepted.size(), "the server handed over one connection per client: " + s);
            assertEquals(clients, s.handshakesCompleted(), "one handshake per client: " + s);
            assertEquals(IO_THREADS, threads.size(), "the clients' sessions run on both I/O threads (the kernel spread"
                    + " them over both sockets; all on one has odds of 2^-19): " + threads);
            assertEquals(clients, s.cookiesVerified(), "every client's cookie verified, whichever socket it reached: " + s);
            assertEquals(0, s.cookiesRejected(), "no cookie was turned down: " + s);
            assertEquals(clients * records, s.recordsIn(), "every record arrived once: " + s);
            for (int c = 0; c < clients; c++) {
                for (int i = 0; i < records; i++) {
                    assertEquals(1, echoes.times(tag(c, i)), "record " + i + " of client " + c + " arrived once");
                }
            }
            Await.until(() -> listener.stats().liveSessions() == 0, WAIT,
                    () -> "each client's close_notify ended its session: " + listener.stats());
            // Once the last retransmission has gone, the server's counters are its front door's
            // plus its connections', whichever thread counted them.
            Await.until(() -> listener.stats().recordsOut() == clients * records, WAIT,
                    () -> "every echo left once (counted once the send returns): " + listener.stats());
            Await.until(() -> addsUp(listener.stats(), accepted), WAIT,
                    () -> "the server's datagrams out are its connections' plus its cookies, its datagrams and records"
                            + " in at least its connections': " + listener.stats() + " vs " + sum(accepted));
        }
    }

    private static int tag(int client, int record) {
        return client * 1000 + record;
    }

    private static int echoTagged(DtlsContext context, InetSocketAddress server, int id, int records) throws IOException {
        try (DtlsConnection c = DtlsClient.connect(context, server, WAIT)) {
            ByteBuffer in = ByteBuffer.allocate(16);
            for (int i = 0; i < records; i++) {
                c.send(EchoRecorder.tagged(tag(id, i)));
                in.clear();
                assertEquals(4, c.receive(in, WAIT), "client " + id + " gets the echo of record " + i);
                assertEquals(tag(id, i), in.getInt(0), "client " + id + " gets its own record " + i + " back");
            }
            return records;
        }
    }

    private static boolean addsUp(TransportStats server, List<DtlsConnection> connections) {
        long[] sum = sum(connections);
        return server.datagramsOut() == sum[0] + server.cookiesSent() && server.datagramsIn() >= sum[1]
                && server.recordsIn() == sum[2] && server.handshakesCompleted() == sum[3];
    }

    /** Datagrams out, datagrams in, records in and handshakes completed, summed over {@code connections}. */
    private static long[] sum(List<DtlsConnection> connections) {
        long[] sum = new long[4];
        for (DtlsConnection c : connections) {
            TransportStats s = c.stats();
            sum[0] += s.datagramsOut();
            sum[1] += s.datagramsIn();
            sum[2] += s.recordsIn();
            sum[3] += s.handshakesCompleted();
        }
        return sum;
    }

    /**
     * A client with connection IDs whose NAT rebinds again and again keeps its one session,
     * also when its new address reaches the server's other socket: the record is handed to the
     * thread that drives its session ({@link TransportStats#handoffs()}), the session moves,
     * and the replies reach the new port.
     *
     * @param run the providers and the protocol version of this run
     * @throws Exception if the sockets fail; a broken rule fails an assertion
     */
    @Test
    @RuleId("RP-2")
    @RequiresCapability(Capability.CONNECTION_ID)
    default void aClientWithConnectionIdsKeepsItsSessionWhenARebindTakesItToTheOtherSocket(TckRun run)
            throws Exception {
        int maxRebinds = 32;
        RelayedClients.run(run, twoThreads(), (listener, relay, c, accepted, echoes) -> {
            RelayedClients.echo(c, 0);
            int rebinds = 0;
            while (rebinds < maxRebinds && (rebinds < 3 || listener.stats().handoffs() == 0)) {
                InetSocketAddress now = relay.rebind();
                rebinds++;
                RelayedClients.echo(c, rebinds);
                assertEquals(now, accepted.peerAddress(), "the connection moved to the client's new port");
            }
            TransportStats s = listener.stats();
            assertTrue(s.handoffs() > 0, "in " + rebinds + " rebinds, one reached the other socket and was handed"
                    + " to its session's thread: " + s);
            assertEquals(rebinds, s.migrations(), "one migration per rebind: " + s);
            assertEquals(1, s.liveSessions(), "one session throughout: " + s);
            assertEquals(1, s.handshakesCompleted(), "no new handshake: " + s);
            assertTrue(echoes.connections().isEmpty(), "the server saw one connection");
            for (int tag = 0; tag <= rebinds; tag++) {
                assertEquals(1, echoes.times(tag), "record " + tag + " arrived once");
            }
        });
    }
}
