package org.dtls4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsServer;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;

/**
 * Real handshakes through a BouncyCastle {@link DtlsServer} while peers stall mid-handshake
 * (their cookie verified, their ClientHello answered, then silence), for two handshake-thread
 * caps of the BouncyCastle provider ({@code dtls4j.bouncycastle.handshakeThreads}): 4, what the
 * former fixed pool had on two cores, and the default. Prints, per cap and number of stalled
 * peers, the real handshakes per second (one after another, JSSE clients, each given 5 s),
 * how many of them failed, and the live threads, heap after GC and RSS with the stalled peers
 * in place.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.StalledPeersBenchmark [stalled peers] [handshakes]</pre>
 *
 * <p>Not thread-safe; run from one thread.
 */
public final class StalledPeersBenchmark {

    private static final String THREADS_PROPERTY = "dtls4j.bouncycastle.handshakeThreads";
    private static final Duration CONNECT = Duration.ofSeconds(5);

    private StalledPeersBenchmark() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the most stalled peers (default 200) and the real handshakes per row (default 100)
     * @throws Exception if a server cannot be bound
     */
    public static void main(String[] args) throws Exception {
        int most = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int handshakes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        DtlsProvider server = Dtls.provider("bouncycastle");
        DtlsProvider client = Dtls.provider("jsse");
        row("1000", 0, handshakes, server, client, false); // warms up the JIT, printed nowhere
        System.out.printf("| handshake threads (cap) | stalled peers | real handshakes/s | failed (of %d) | live threads"
                + " | heap after GC (MiB) | RSS (MiB) |%n|---|---|---|---|---|---|---|%n", handshakes);
        for (String cap : new String[] {"4", "1000"}) {
            for (int stalled : new int[] {0, most}) {
                System.setProperty(THREADS_PROPERTY, cap);
                row(cap, stalled, handshakes, server, client, true);
            }
        }
    }

    private static void row(String cap, int stalled, int handshakes, DtlsProvider serverProvider,
                            DtlsProvider clientProvider, boolean print) throws Exception {
        DtlsConfig serverConfig = MemoryPair.serverConfig(ProtocolVersion.DTLS_1_2);
        DtlsConfig clientConfig = MemoryPair.clientConfig(ProtocolVersion.DTLS_1_2);
        TransportOptions options = TransportOptions.builder().maxHandshakes(stalled + 10).build();
        List<DatagramSocket> peers = new ArrayList<>();
        try (DtlsContext sctx = serverProvider.newContext(serverConfig);
             DtlsContext cctx = clientProvider.newContext(clientConfig);
             DtlsServer listener = DtlsServer.bind(sctx, new InetSocketAddress(UdpEchoBenchmark.LOOPBACK, 0), options,
                     UdpHandshakeBenchmark.IGNORE)) {
            for (int i = 0; i < stalled; i++) {
                peers.add(stall(cctx, listener.localAddress()));
            }
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (listener.stats().handshakesStarted() < stalled && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            int failed = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < handshakes; i++) {
                try (DtlsContext fresh = clientProvider.newContext(clientConfig);
                     DtlsConnection c = DtlsClient.connect(fresh, listener.localAddress(), CONNECT)) {
                    c.info();
                } catch (DtlsException e) {
                    failed++;
                    if (failed == 3) {
                        break; // each waits CONNECT: three say enough
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int done = Math.max(0, (int) listener.stats().handshakesCompleted());
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (!print) {
                return;
            }
            System.out.printf("| %s | %d | %.1f | %d | %d | %.1f | %.1f |%n", cap, stalled, done / seconds, failed,
                    Thread.activeCount(), heap / 1048576.0, rssKib() / 1024.0);
        } finally {
            peers.forEach(DatagramSocket::close);
        }
    }

    /**
     * A peer that stalls: a client session of {@code context} on a socket of its own gets its
     * cookie exchange done and sends the ClientHello with the cookie, then is never fed again.
     */
    private static DatagramSocket stall(DtlsContext context, InetSocketAddress server) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(UdpEchoBenchmark.LOOPBACK, 0));
        socket.setSoTimeout(2000);
        DtlsSession session = context.newClientSession(server, new DtlsSessionListener() {
            @Override
            public void onDatagram(ByteBuffer datagram) {
                byte[] d = new byte[datagram.remaining()];
                datagram.get(d);
                try {
                    socket.send(new DatagramPacket(d, d.length, server));
                } catch (IOException e) {
                    throw new IllegalStateException("a stalled peer could not send", e);
                }
            }

            @Override
            public void onRecord(ByteBuffer record) {
            }
        });
        session.beginHandshake();
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p); // the HelloVerifyRequest
        session.receive(ByteBuffer.wrap(buf, 0, p.getLength()));
        session.close(); // its ClientHello with the cookie is out; nothing more comes from here
        return socket;
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
