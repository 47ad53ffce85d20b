package org.dtls4j.bench;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;

/**
 * One {@link DtlsServer} port with 1 and with 2 I/O threads ({@code TransportOptions.ioThreads},
 * {@code SO_REUSEPORT}), per provider, in one run: 1200-byte echo records per second with
 * several clients, and full handshakes per second with several client threads, and the ratio
 * of 2 threads to 1. Every client has a socket of its own, so the kernel spreads them over the
 * server's sockets.
 *
 * <p>The clients run in the same JVM on the same cores as the server: a client does as much
 * cryptography per record and per handshake as the server, so on a 2-core machine the server's
 * second thread competes with the clients for the second core. The table says how busy the
 * machine was (process CPU over the measured time, in cores). The configurations alternate
 * (1, 2, then 2, 1) and each figure is the mean of its rounds, so that drift and warm-up
 * favour neither.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.IoThreadsBenchmark
 *     [seconds per echo case] [provider, or "all"] [echo clients] [handshake threads]</pre>
 */
public final class IoThreadsBenchmark {

    /** One provider's figures with 1 and 2 I/O threads; busy is process CPU in cores over the measured time. */
    public record Row(String provider, double echo1, double echo2, double busyEcho1, double busyEcho2,
                      double handshakes1, double handshakes2, double busyHandshakes1, double busyHandshakes2) {
    }

    /** A rate and how busy the process was meanwhile, in cores. */
    private record Rate(double perSecond, double cores) {
    }

    private static final int WINDOW = 8;

    private IoThreadsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String only = args.length > 1 ? args[1] : "all";
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int handshakeThreads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        List<Row> rows = run(seconds, only, clients, handshakeThreads, line -> System.err.println("bench: " + line));
        System.out.println();
        System.out.print(table(rows, clients, handshakeThreads));
    }

    /**
     * Measures every available provider (or the one named {@code only}) in DTLS 1.2: two rounds
     * of each configuration, alternating.
     */
    public static List<Row> run(double seconds, String only, int clients, int handshakeThreads,
                                Consumer<String> progress) throws Exception {
        int handshakes = (int) Math.max(200, 100 * seconds);
        List<Row> rows = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            if (!p.availability().isAvailable() || !(only.equals("all") || only.equals(p.name()))) {
                continue;
            }
            progress.accept(p.name() + ": warming up ...");
            echo(p, 1, clients, Math.min(1, seconds));
            handshakes(p, 2, handshakeThreads, handshakes / 4);
            Rate[] e = new Rate[3];
            Rate[] h = new Rate[3];
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 2; k++) {
                    int threads = round == 0 ? 1 + k : 2 - k;
                    progress.accept(p.name() + ": " + threads + " I/O thread(s), echo ...");
                    e[threads] = mean(e[threads], echo(p, threads, clients, seconds), round);
                    progress.accept(p.name() + ": " + threads + " I/O thread(s), handshakes ...");
                    h[threads] = mean(h[threads], handshakes(p, threads, handshakeThreads, handshakes), round);
                }
            }
            rows.add(new Row(p.name(), e[1].perSecond(), e[2].perSecond(), e[1].cores(), e[2].cores(),
                    h[1].perSecond(), h[2].perSecond(), h[1].cores(), h[2].cores()));
        }
        return rows;
    }

    private static Rate mean(Rate before, Rate now, int round) {
        return round == 0 ? now : new Rate((before.perSecond() + now.perSecond()) / 2, (before.cores() + now.cores()) / 2);
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows, int clients, int handshakeThreads) {
        StringBuilder sb = new StringBuilder(String.format("DtlsServer on 127.0.0.1 with 1 and 2 I/O threads (SO_REUSEPORT),"
                + " DTLS 1.2, %d cores, clients in the same process; echo: %d clients, window %d, 1200-byte records;"
                + " handshakes: %d client threads, full handshakes, cookie exchange included. (cores: process CPU"
                + " over each case, in cores)%n%n", Runtime.getRuntime().availableProcessors(), clients, WINDOW, handshakeThreads));
        sb.append(String.format("| provider | echo records/s, 1 thread (cores) | 2 threads (cores) | 2 / 1"
                + " | handshakes/s, 1 thread (cores) | 2 threads (cores) | 2 / 1 |%n|---|---:|---:|---:|---:|---:|---:|%n"));
        for (Row r : rows) {
            sb.append(String.format("| %s | %.0f (%.2f) | %.0f (%.2f) | %.2f | %.0f (%.2f) | %.0f (%.2f) | %.2f |%n",
                    r.provider(), r.echo1(), r.busyEcho1(), r.echo2(), r.busyEcho2(), r.echo2() / r.echo1(),
                    r.handshakes1(), r.busyHandshakes1(), r.handshakes2(), r.busyHandshakes2(),
                    r.handshakes2() / r.handshakes1()));
        }
        return sb.toString();
    }

    /** Echo records per second through a server with {@code ioThreads}; the process CPU spans the whole case. */
    private static Rate echo(DtlsProvider p, int ioThreads, int clients, double seconds) throws Exception {
        long cpu = processCpuNanos();
        long t0 = System.nanoTime();
        UdpEchoBenchmark.Result r = UdpEchoBenchmark.runDtls(p, clients, seconds, WINDOW, ProtocolVersion.DTLS_1_2,
                ioThreads);
        return new Rate(r.perSecond(), (processCpuNanos() - cpu) / (double) (System.nanoTime() - t0));
    }

    /**
     * Full handshakes per second through a server with {@code ioThreads}: {@code threads}
     * client threads, {@code total} handshakes among them, each with a client context of its
     * own made beforehand (so none resumes).
     */
    private static Rate handshakes(DtlsProvider p, int ioThreads, int threads, int total) throws Exception {
        DtlsConfig serverConfig = MemoryPair.serverConfig(ProtocolVersion.DTLS_1_2).toBuilder()
                .retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        DtlsConfig clientConfig = MemoryPair.clientConfig(ProtocolVersion.DTLS_1_2).toBuilder()
                .retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        List<DtlsContext> contexts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (DtlsContext server = p.newContext(serverConfig);
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(UdpEchoBenchmark.LOOPBACK, 0),
                     TransportOptions.builder().ioThreads(ioThreads).maxHandshakes(1000).build(), UdpHandshakeBenchmark.IGNORE)) {
            for (int i = 0; i < total; i++) {
                contexts.add(p.newContext(clientConfig));
            }
            long cpu = processCpuNanos();
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < total; i += threads) {
                        try (DtlsConnection c = DtlsClient.connect(contexts.get(i), listener.localAddress(),
                                Duration.ofSeconds(10))) {
                            if (c.info().resumed()) {
                                throw new IllegalStateException("a handshake was resumed; every one must be full");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            long wall = System.nanoTime() - t0;
            return new Rate(total / (wall / 1e9), (processCpuNanos() - cpu) / (double) wall);
        } finally {
            pool.shutdownNow();
            contexts.forEach(DtlsContext::close);
        }
    }

    /** CPU time of the whole process so far, in nanoseconds; 0 where the JVM does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
