package org.dtls4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;

/**
 * What the transport's JFR events cost: UDP echo ({@link UdpEchoBenchmark}, the record path)
 * and full handshakes ({@link UdpHandshakeBenchmark}, where a handshake event and its alerts
 * are committed) with no recording (the events disabled) and with a recording of the dtls4j
 * events (a settings-less {@link Recording}, as {@code dtls4j server --jfr} makes), alternated
 * in one run, the order swapped every round so drift falls on both. Prints the medians, the
 * ratio, and how many events the recordings kept (so "on" is known to have recorded).
 *
 * <p>Besides throughput (wall clock), each case reports the process's CPU time per record or
 * handshake (every thread, JFR's own included, over the whole case: warm-up, connects and
 * context creation too, the same with and without a recording): on a machine shared with
 * other builds the wall clock swings with their load, CPU time much less.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.JfrOverheadBenchmark [provider] [rounds] [echo seconds] [handshakes]</pre>
 */
public final class JfrOverheadBenchmark {

    private JfrOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DtlsProvider provider = args.length > 0 ? Dtls.provider(args[0]) : Dtls.defaultProvider();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        int handshakes = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        List<Double> echoOff = new ArrayList<>();
        List<Double> echoOn = new ArrayList<>();
        List<Double> hsOff = new ArrayList<>();
        List<Double> hsOn = new ArrayList<>();
        List<Double> echoCpuOff = new ArrayList<>();
        List<Double> echoCpuOn = new ArrayList<>();
        List<Double> hsCpuOff = new ArrayList<>();
        List<Double> hsCpuOn = new ArrayList<>();
        Map<String, Long> recorded = new TreeMap<>();
        UdpEchoBenchmark.runDtls(provider, 1, 1, 8); // warm up both paths once, unmeasured
        UdpHandshakeBenchmark.run(provider, provider, false, handshakes);
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 2; i++) {
                boolean on = (round + i) % 2 == 1;
                Recording r = on ? new Recording() : null;
                if (r != null) {
                    r.start();
                }
                long cpu0 = cpuNanos();
                UdpEchoBenchmark.Result echo = UdpEchoBenchmark.runDtls(provider, 1, seconds, 8);
                long cpu1 = cpuNanos();
                double hs = UdpHandshakeBenchmark.run(provider, provider, false, handshakes).perSecond();
                long cpu2 = cpuNanos();
                if (r != null) {
                    count(r, recorded);
                }
                double echoCpu = (cpu1 - cpu0) / 1e3 / echo.records();
                double hsCpu = (cpu2 - cpu1) / 1e3 / (handshakes + UdpHandshakeBenchmark.WARMUP);
                (on ? echoOn : echoOff).add(echo.perSecond());
                (on ? hsOn : hsOff).add(hs);
                (on ? echoCpuOn : echoCpuOff).add(echoCpu);
                (on ? hsCpuOn : hsCpuOff).add(hsCpu);
                System.err.printf("round %d, recording %s: %.0f records/s (%.1f CPU µs each), %.0f handshakes/s (%.0f CPU"
                        + " µs each)%n", round, on ? "on" : "off", echo.perSecond(), echoCpu, hs, hsCpu);
            }
        }
        System.out.printf("%nJFR events, %s, %d rounds alternated, %d cores: medians%n", provider.name(), rounds,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| path | no recording | recording dtls4j events | on / off |");
        System.out.println("|---|---:|---:|---:|");
        row("UDP echo, 1 client, 1200 B (records/s)", echoOff, echoOn);
        row("UDP echo: process CPU µs per record", echoCpuOff, echoCpuOn);
        row("full handshakes, one at a time (handshakes/s)", hsOff, hsOn);
        row("handshakes: process CPU µs per handshake", hsCpuOff, hsCpuOn);
        System.out.println("events recorded in the 'on' rounds: " + recorded);
    }

    private static void row(String what, List<Double> off, List<Double> on) {
        double a = median(off);
        double b = median(on);
        System.out.printf("| %s | %.1f | %.1f | %.3f |%n", what, a, b, b / a);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void count(Recording r, Map<String, Long> into) throws Exception {
        r.stop();
        Path file = Files.createTempFile("dtls4j-jfr-overhead-", ".jfr");
        try {
            r.dump(file);
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                into.merge(e.getEventType().getName(), 1L, Long::sum);
            }
        } finally {
            r.close();
            Files.deleteIfExists(file);
        }
    }
}
