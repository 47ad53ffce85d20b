package org.dtls4j.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsContext;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;

/**
 * The quick comparison behind {@code dtls4j bench}: for every available provider and every
 * protocol version it declares (a row each), full handshakes per second and 1200-byte records
 * per second in memory on one thread, full handshakes per second over UDP through the
 * listener, and the UDP echo against raw UDP; then, for every provider that declares DTLS 1.3,
 * the 1.2 and 1.3 handshake times on a link with delay. All in one run. (JMH's
 * {@link InMemoryBenchmark} measures the in-memory part more carefully.)
 */
public final class Bench {

    /** One provider's numbers in one protocol version ({@code null} for the raw UDP row). */
    public record Row(String provider, ProtocolVersion version, double handshakesPerSecond, double recordsPerSecond,
                      double udpHandshakesPerSecond, UdpEchoBenchmark.Result udp) {
    }

    /** The versions a row is made for, where a provider declares them. */
    private static final List<ProtocolVersion> VERSIONS = List.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);
    /** The link delay of the round-trip comparison, each way. */
    private static final Duration ONE_WAY_DELAY = Duration.ofMillis(50);
    /** Handshakes per version on the delayed link (the median is reported). */
    private static final int DELAYED_HANDSHAKES = 9;

    private Bench() {
    }

    /** Runs everything, spending about {@code seconds} on each measurement; reports progress. */
    public static List<Row> run(double seconds, Consumer<String> progress) throws Exception {
        List<DtlsProvider> providers = Dtls.providers().stream().filter(p -> p.availability().isAvailable()).toList();
        progress.accept("raw UDP echo ...");
        UdpEchoBenchmark.Result raw = UdpEchoBenchmark.runRaw(1, seconds, 8);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("raw udp", null, Double.NaN, Double.NaN, Double.NaN, raw));
        for (DtlsProvider p : providers) {
            for (ProtocolVersion v : VERSIONS) {
                if (!Capabilities.protocolVersions(p).contains(v)) {
                    continue;
                }
                String name = p.name() + " " + v.standardName();
                progress.accept(name + ": handshakes in memory ...");
                double hs = handshakes(p, v, seconds);
                progress.accept(name + ": records in memory ...");
                double rs = records(p, v, seconds);
                progress.accept(name + ": handshakes over UDP ...");
                double udpHs = UdpHandshakeBenchmark.run(p, p, false, (int) Math.max(50, 100 * seconds), v).perSecond();
                progress.accept(name + ": UDP echo ...");
                rows.add(new Row(p.name(), v, hs, rs, udpHs, UdpEchoBenchmark.runDtls(p, 1, seconds, 8, v)));
            }
        }
        return rows;
    }

    /**
     * For every available provider that declares DTLS 1.3: the median DTLS 1.2 and 1.3
     * handshake through the listener on a link that delays every datagram
     * {@link #ONE_WAY_DELAY} each way, 1.2 then 1.3.
     */
    static List<DelayedHandshakes.Result> delayed(Consumer<String> progress) throws Exception {
        List<DelayedHandshakes.Result> out = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            if (p.availability().isAvailable() && Capabilities.protocolVersions(p).contains(ProtocolVersion.DTLS_1_3)) {
                for (ProtocolVersion v : VERSIONS) {
                    progress.accept(p.name() + " " + v.standardName() + ": handshakes with " + ONE_WAY_DELAY.toMillis()
                            + " ms each way ...");
                    out.add(DelayedHandshakes.run(p, v, ONE_WAY_DELAY, DELAYED_HANDSHAKES));
                }
            }
        }
        return out;
    }

    /**
     * Runs {@link #delayed} and reports it as a heading and a Markdown table, a row per
     * provider: the 1.2 and 1.3 medians in milliseconds and in round trips, and their ratio;
     * empty when no available provider declares DTLS 1.3.
     */
    public static String delayedReport(Consumer<String> progress) throws Exception {
        List<DelayedHandshakes.Result> results = delayed(progress);
        if (results.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("Full handshakes through DtlsServer on a link with %d ms each way"
                + " (a relay on 127.0.0.1), median of %d, cookie exchange included:%n%n"
                + "| provider | DTLSv1.2 ms (round trips) | DTLSv1.3 ms (round trips) | 1.3 / 1.2 |%n|---|---:|---:|---:|%n",
                ONE_WAY_DELAY.toMillis(), DELAYED_HANDSHAKES));
        for (int i = 0; i + 1 < results.size(); i += 2) {
            DelayedHandshakes.Result v12 = results.get(i);
            DelayedHandshakes.Result v13 = results.get(i + 1);
            sb.append(String.format("| %s | %.0f (%.2f) | %.0f (%.2f) | %.2f |%n", v12.provider(), v12.medianMillis(),
                    v12.roundTrips(), v13.medianMillis(), v13.roundTrips(), v13.medianMillis() / v12.medianMillis()));
        }
        return sb.toString();
    }

    /** Prints the rows as a Markdown table, UDP throughput relative to raw UDP. */
    public static String table(List<Row> rows) {
        double raw = rows.get(0).udp().perSecond();
        StringBuilder sb = new StringBuilder(String.format(
                "| provider | version | handshakes/s (memory) | 1200-byte records/s (memory) | handshakes/s (UDP)"
                + " | UDP echo records/s | vs raw UDP | p50 µs | p99 µs |%n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|%n"));
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %s | %s | %s | %.0f | %.0f%% | %.0f | %.0f |%n", r.provider(),
                    r.version() == null ? "" : r.version().standardName(),
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

    static double handshakes(DtlsProvider p, ProtocolVersion v, double seconds) throws Exception {
        try (DtlsContext c = p.newContext(MemoryPair.clientConfig(v)); DtlsContext s = p.newContext(MemoryPair.serverConfig(v))) {
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

    static double records(DtlsProvider p, ProtocolVersion v, double seconds) throws Exception {
        try (DtlsContext c = p.newContext(MemoryPair.clientConfig(v)); DtlsContext s = p.newContext(MemoryPair.serverConfig(v));
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
