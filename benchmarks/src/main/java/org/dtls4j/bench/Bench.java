package org.dtls4j.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.DtlsProvider;

/**
 * The quick comparison behind {@code dtls4j bench}: for every available provider, full
 * handshakes per second and 1200-byte records per second in memory on one thread, full
 * handshakes per second over UDP through the listener, and the UDP echo against raw UDP,
 * all in one run. (JMH's {@link InMemoryBenchmark} measures the
 * in-memory part more carefully.)
 */
public final class Bench {

    /** One provider's numbers. */
    public record Row(String provider, double handshakesPerSecond, double recordsPerSecond,
                      double udpHandshakesPerSecond, UdpEchoBenchmark.Result udp) {
    }

    private Bench() {
    }

    /** Runs everything, spending about {@code seconds} on each measurement; reports progress. */
    public static List<Row> run(double seconds, Consumer<String> progress) throws Exception {
        List<DtlsProvider> providers = Dtls.providers().stream().filter(p -> p.availability().isAvailable()).toList();
        progress.accept("raw UDP echo ...");
        UdpEchoBenchmark.Result raw = UdpEchoBenchmark.runRaw(1, seconds, 8);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("raw udp", Double.NaN, Double.NaN, Double.NaN, raw));
        for (DtlsProvider p : providers) {
            progress.accept(p.name() + ": handshakes in memory ...");
            double hs = handshakes(p, seconds);
            progress.accept(p.name() + ": records in memory ...");
            double rs = records(p, seconds);
            progress.accept(p.name() + ": handshakes over UDP ...");
            double udpHs = UdpHandshakeBenchmark.run(p, p, false, (int) Math.max(50, 100 * seconds)).perSecond();
            progress.accept(p.name() + ": UDP echo ...");
            rows.add(new Row(p.name(), hs, rs, udpHs, UdpEchoBenchmark.runDtls(p, 1, seconds, 8)));
        }
        return rows;
    }

    /** Prints the rows as a Markdown table, UDP throughput relative to raw UDP. */
    public static String table(List<Row> rows) {
        double raw = rows.get(0).udp().perSecond();
        StringBuilder sb = new StringBuilder(String.format(
                "| provider | handshakes/s (memory) | 1200-byte records/s (memory) | handshakes/s (UDP) | UDP echo records/s"
                + " | vs raw UDP | p50 µs | p99 µs |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|%n"));
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %s | %s | %.0f | %.0f%% | %.0f | %.0f |%n", r.provider(),
                    blankIfNaN(r.handshakesPerSecond()), blankIfNaN(r.recordsPerSecond()),
                    blankIfNaN(r.udpHandshakesPerSecond()),
                    r.udp().perSecond(), 100 * r.udp().perSecond() / raw,
                    r.udp().percentileMicros(0.5), r.udp().percentileMicros(0.99)));
        }
        return sb.toString();
    }

    private static String blankIfNaN(double v) {
        return Double.isNaN(v) ? "" : String.format("%.0f", v);
    }

    static double handshakes(DtlsProvider p, double seconds) throws Exception {
        try (DtlsContext c = p.newContext(MemoryPair.clientConfig()); DtlsContext s = p.newContext(MemoryPair.serverConfig())) {
            long warm = System.nanoTime() + (long) (seconds * 0.3e9);
            while (System.nanoTime() - warm < 0) {
                new MemoryPair(c, s).handshake().close();
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int n = 0;
            while (System.nanoTime() - end < 0) {
                new MemoryPair(c, s).handshake().close();
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    static double records(DtlsProvider p, double seconds) throws Exception {
        try (DtlsContext c = p.newContext(MemoryPair.clientConfig()); DtlsContext s = p.newContext(MemoryPair.serverConfig());
             MemoryPair pair = new MemoryPair(c, s).handshake()) {
            ByteBuffer record = ByteBuffer.allocate(1200);
            long warm = System.nanoTime() + (long) (seconds * 0.3e9);
            while (System.nanoTime() - warm < 0) {
                record.clear();
                pair.client.send(record);
                pair.pump();
            }
            int before = pair.serverRecords;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() - end < 0) {
                for (int i = 0; i < 64; i++) {
                    record.clear();
                    pair.client.send(record);
                    pair.pump();
                }
            }
            return (pair.serverRecords - before) / ((System.nanoTime() - start) / 1e9);
        }
    }
}
