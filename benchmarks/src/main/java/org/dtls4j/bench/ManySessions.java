package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.ProcessResources;

/**
 * How much a server spends per idle established session: one {@link DtlsServer} holds
 * {@code N} live sessions (DTLS 1.2, ECDSA P-256, full handshakes) and the heap after a GC and
 * the process's resident set size (VmRSS) are read before and after; the difference over
 * {@code N} is the cost of one session, transport and provider together. The clients run in a
 * process of their own ({@link SessionLoadClients}), each from its own loopback address and
 * port (127.1.x.y), and free their side once connected, so they neither inflate the server's
 * figures nor need a descriptor each; the server needs one socket, so no {@code ulimit -n} is
 * raised. Each provider is measured in a fresh server JVM (what one provider freed would
 * otherwise stay in the next one's RSS).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.ManySessions [N [PROVIDER...]]</pre>
 *
 * <p>With {@code -Ddtls4j.bench.histogram=20} each server also prints its 20 largest classes
 * by heap bytes while the sessions are live; {@code -Ddtls4j.bench.serverJvm="..."} replaces
 * the server JVM's options ({@link #SERVER_JVM}), for instance to compare collectors.
 */
public final class ManySessions {

    private static final String RESULT = "result ";
    /**
     * The server JVM's options. A memory-dense server gives free heap back after a collection:
     * with G1's default MaxHeapFreeRatio of 70 up to 3.3 times the live heap may stay committed
     * (and resident), which would be counted here as the sessions' cost.
     */
    static final List<String> SERVER_JVM = List.of(System.getProperty("dtls4j.bench.serverJvm",
            "-Xmx16g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20").split(" "));

    private ManySessions() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        if (args.length == 3 && args[2].equals("--one")) {
            measure(args[1], n);
            return;
        }
        List<String> providers = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            providers.add(args[i]);
        }
        if (providers.isEmpty()) {
            Dtls.providers().stream().filter(p -> p.availability().isAvailable()).map(DtlsProvider::name).forEach(providers::add);
        }
        System.out.printf("%d idle established DTLS 1.2 sessions on one DtlsServer, per provider (server JVM %s)%n%n", n,
                String.join(" ", SERVER_JVM));
        System.out.println("| provider | live sessions | connect all, s | heap per session, KiB | RSS per session, KiB"
                + " | 1,000,000 sessions, GiB RSS |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String p : providers) {
            List<String> command = new ArrayList<>(SERVER_JVM);
            command.add("-Ddtls4j.bench.histogram=" + Integer.getInteger("dtls4j.bench.histogram", 0));
            command.addAll(List.of(ManySessions.class.getName(), Integer.toString(n), p, "--one"));
            String line = child(command);
            if (line == null) {
                System.out.printf("| %s | FAIL | | | | |%n", p);
                continue;
            }
            String[] f = line.substring(RESULT.length()).split(" ");
            double rss = Double.parseDouble(f[3]);
            System.out.printf("| %s | %s | %s | %s | %s | %.1f |%n", p, f[0], f[1], f[2], f[3], rss * 1_000_000 / (1 << 20));
        }
    }

    /** Runs a JVM with this classpath and {@code args}; returns its last line that starts with the result mark. */
    private static String child(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT) || line.startsWith(SessionLoadClients.DONE)) {
                    result = line;
                } else {
                    System.err.println("  " + line);
                }
            }
        }
        return process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0 ? result : null;
    }

    /** In the server JVM: holds {@code n} sessions of {@code provider} and prints the result line. */
    private static void measure(String provider, int n) throws Exception {
        TransportOptions options = TransportOptions.builder().maxSessions(n + 1_000).maxHandshakes(Math.min(n + 1_000, 2_000))
                .idleTimeout(Duration.ofHours(2)).build();
        DtlsConnectionHandler quiet = new DtlsConnectionHandler() {
            @Override
            public void onConnected(DtlsConnection connection) {
                // the sessions stay idle
            }

            @Override
            public void onRecord(DtlsConnection connection, ByteBuffer record) {
                // none arrive
            }
        };
        try (DtlsContext context = Dtls.provider(provider).newContext(MemoryPair.serverConfig());
             DtlsServer server = DtlsServer.bind(context, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     options, quiet)) {
            long heapBefore = heapAfterGc();
            long rssBefore = rss();
            long start = System.nanoTime();
            String clients = child(List.of("-Xmx2g", SessionLoadClients.class.getName(), clientProvider(provider),
                    Integer.toString(server.localAddress().getPort()), Integer.toString(n)));
            double seconds = (System.nanoTime() - start) / 1e9;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int connected = clients == null ? 0 : Integer.parseInt(clients.split(" ")[1]);
            while (server.stats().liveSessions() < connected && System.nanoTime() - deadline < 0) {
                // the server's loop finishes the last handshakes: poll, bounded by the deadline, not spinning on its cores
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            long live = server.stats().liveSessions();
            long heap = heapAfterGc() - heapBefore;
            long rss = rss() - rssBefore;
            System.out.println("clients: " + clients + ", server " + server.stats());
            int top = Integer.getInteger("dtls4j.bench.histogram", 0);
            if (top > 0) {
                printHistogram(top);
            }
            System.out.printf("%s%d %.0f %.1f %.1f%n", RESULT, live, seconds, heap / 1024.0 / live, rss / 1024.0 / live);
        }
    }

    /** The {@code top} classes by heap bytes, as {@code jcmd GC.class_histogram} gives them. */
    private static void printHistogram(int top) throws Exception {
        String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        h.lines().limit(top + 3L).forEach(System.out::println);
    }

    /**
     * The client provider: OpenSSL where it is available (it connects fastest, and the clients'
     * cost is not what is measured), else the server's own.
     */
    private static String clientProvider(String server) {
        return Dtls.providers().stream().anyMatch(p -> p.name().equals("openssl") && p.availability().isAvailable())
                ? "openssl" : server;
    }

    private static long heapAfterGc() {
        return ProcessResources.heapAfterGc();
    }

    /** This process's resident set size (Linux). */
    private static long rss() throws IOException {
        long rss = ProcessResources.rss();
        if (rss < 0) {
            throw new IOException("no VmRSS in /proc/self/status: this measures RSS on Linux only");
        }
        return rss;
    }
}
