package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Credentials;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;

/**
 * What a server process spends in CPU per handshake: every available dtls4j provider's
 * {@link org.dtls4j.DtlsServer} (DTLS 1.2) and Californium Scandium's {@code DTLSConnector},
 * each in a JVM of its own ({@link HandshakeCostServer}), measured with the same clients in
 * one run. The clients run in this JVM on one thread: dtls4j OpenSSL clients, {@link #IN_FLIGHT}
 * handshakes in flight, mutual authentication with ECDSA P-256 certificates (the same key
 * store for every server), each handshake followed by one echoed record and close_notify.
 * Full handshakes use a new client context each. Resumed ones take turns on {@link #IN_FLIGHT}
 * client contexts, so that no two connections resume the same session at once (Scandium keeps
 * one connection per session: a second resumption of a session still in use cut the first off
 * before its echo, 31 of 300 in a trial with one shared context). After
 * a warm-up of each kind, the server's process CPU time is read before and after exactly the
 * measured handshakes, so the clients' own work is not in it.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.ServerHandshakeCost [HANDSHAKES [SERVER...]]</pre>
 *
 * <p>SERVER is a provider name, {@code scandium} or {@code scandium-hvr} (Scandium with a cookie
 * exchange on resumptions too); by default every available provider and both Scandiums. {@code -Ddtls4j.bench.serverJvm="..."} replaces the server JVM's options
 * ({@link #SERVER_JVM}); {@code {server}} in them is replaced by the server's name, for
 * instance {@code -XX:StartFlightRecording=filename=/tmp/cost-{server}.jfr}. The warm-up is
 * {@code -Ddtls4j.bench.warmUp} handshakes of each kind (default 4000, or HANDSHAKES if more):
 * after 1000, the per-thread split on a quiet machine still showed C2 compiling for 1.1 ms per
 * full BouncyCastle handshake and 1.6 ms per JSSE one during the measured part; after 4000, at
 * most 0.66 ms (JSSE) and 13 µs (OpenSSL).
 *
 * <p>Not thread-safe: run one measurement at a time (its rows are immutable).
 */
public final class ServerHandshakeCost {

    /** Handshakes of each kind before the measured ones, unless HANDSHAKES is more: enough for the JIT to settle. */
    static final int DEFAULT_WARM_UP = 4000;

    /** Handshakes in flight at once. */
    static final int IN_FLIGHT = 32;
    /** The server JVM's options. */
    static final String SERVER_JVM = System.getProperty("dtls4j.bench.serverJvm", "-Xmx1g");

    /** One server's figures; CPU in milliseconds per handshake, wall time in seconds. */
    public record Row(String server, Run full, Run resumed) {
    }

    /**
     * One measured run: handshakes completed (echo received), of them resumed, failed, echo
     * records sent again, datagrams the clients sent and received (a cookie exchange is two of
     * them), server CPU and wall time, and the server's CPU per group of threads ({@link ThreadCpu}).
     */
    public record Run(int completed, int resumed, int failed, int resent, long datagramsSent, long datagramsReceived,
                      long cpuNanos, long wallNanos, Map<String, Long> threadCpuNanos) {
        double cpuMillisPerHandshake() {
            return completed == 0 ? Double.NaN : cpuNanos / 1e6 / completed;
        }

        /**
         * CPU ms per handshake without the JIT compilers' threads: what is left of the server's
         * cost once its code is compiled (a longer warm-up approaches it).
         */
        double cpuMillisWithoutJit() {
            long jit = threadCpuNanos.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                    .mapToLong(Map.Entry::getValue).sum();
            return completed == 0 ? Double.NaN : (cpuNanos - jit) / 1e6 / completed;
        }

        /** Datagrams per handshake, counting everything the run sent and received, as "sent / received". */
        String datagramsPerHandshake() {
            return completed == 0 ? "" : String.format("%.1f / %.1f", (double) datagramsSent / (completed + failed),
                    (double) datagramsReceived / (completed + failed));
        }
    }

    private ServerHandshakeCost() {
    }

    public static void main(String[] args) throws Exception {
        int handshakes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        List<String> servers = args.length > 1 ? List.of(args).subList(1, args.length) : allServers();
        List<Row> rows = run(handshakes, servers, line -> System.err.println("bench: " + line));
        System.out.println();
        System.out.print(table(rows, handshakes));
    }

    /**
     * {@return every available provider's name, then {@code scandium} (as configured by default)
     * and {@code scandium-hvr} (a cookie exchange on every resumption too, as every dtls4j server does)}
     */
    public static List<String> allServers() {
        List<String> servers = new ArrayList<>();
        Dtls.providers().stream().filter(p -> p.availability().isAvailable()).map(DtlsProvider::name).forEach(servers::add);
        servers.add(HandshakeCostServer.SCANDIUM);
        servers.add(HandshakeCostServer.SCANDIUM_HVR);
        return servers;
    }

    /** Measures each of {@code servers} in turn, in a fresh JVM each. */
    public static List<Row> run(int handshakes, List<String> servers, java.util.function.Consumer<String> progress)
            throws Exception {
        DtlsProvider clients = Dtls.provider("openssl");
        if (!clients.availability().isAvailable()) {
            throw new IllegalStateException("the clients are dtls4j OpenSSL clients, and the openssl provider is not"
                    + " available: " + clients.availability());
        }
        Path keyStore = Files.createTempFile("dtls4j-cost", ".p12");
        try {
            writeKeyStore(keyStore);
            DtlsConfig clientConfig = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2)
                    .credentials(TckPki.get().ecClient()).trustedCertificates(TckPki.get().caCertificate()).build();
            int warmUp = Integer.getInteger("dtls4j.bench.warmUp", Math.max(DEFAULT_WARM_UP, handshakes));
            List<Row> rows = new ArrayList<>();
            for (String server : servers) {
                progress.accept(server + ": " + warmUp + " full and " + warmUp + " resumed handshakes to warm up, then "
                        + handshakes + " of each measured ...");
                rows.add(measure(server, keyStore, clients, clientConfig, handshakes, warmUp));
                progress.accept(server + ": " + rows.get(rows.size() - 1));
            }
            return rows;
        } finally {
            Files.deleteIfExists(keyStore);
        }
    }

    /** The rows as a Markdown table, each CPU figure also as a ratio to Scandium's where Scandium was measured. */
    public static String table(List<Row> rows, int handshakes) {
        Row scandium = rows.stream().filter(r -> r.server().equals(HandshakeCostServer.SCANDIUM)).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder(String.format("Server process CPU per handshake, %d full and %d resumed"
                + " handshakes per server (after a warm-up), %d in flight, DTLS 1.2, mutual ECDSA P-256 certificates,"
                + " one echoed record each; dtls4j OpenSSL clients; %d cores; load average %s%n%n", handshakes, handshakes,
                IN_FLIGHT, Runtime.getRuntime().availableProcessors(), loadAverage()));
        sb.append(String.format("| server | full: CPU ms / handshake | vs Scandium | without JIT threads | wall s"
                + " | failed (echo resent) | datagrams / handshake, clients sent / received"
                + " | resumed: CPU ms / handshake | vs Scandium | without JIT threads | wall s | resumed of completed"
                + " | failed (echo resent) | datagrams / handshake, clients sent / received |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n"));
        for (Row r : rows) {
            sb.append(String.format("| %s | %.2f | %s | %.2f | %.1f | %d (%d) | %s | %.2f | %s | %.2f | %.1f | %d / %d | %d (%d)"
                            + " | %s |%n",
                    r.server(), r.full().cpuMillisPerHandshake(), ratio(r.full(), scandium == null ? null : scandium.full()),
                    r.full().cpuMillisWithoutJit(), r.full().wallNanos() / 1e9, r.full().failed(), r.full().resent(),
                    r.full().datagramsPerHandshake(), r.resumed().cpuMillisPerHandshake(),
                    ratio(r.resumed(), scandium == null ? null : scandium.resumed()), r.resumed().cpuMillisWithoutJit(),
                    r.resumed().wallNanos() / 1e9, r.resumed().resumed(), r.resumed().completed(), r.resumed().failed(),
                    r.resumed().resent(), r.resumed().datagramsPerHandshake()));
        }
        sb.append(String.format("%nDatagrams are counted at the clients, close_notify and the echoed record included."
                + " %s is Scandium with %s = 0: a HelloVerifyRequest on every resumption (by default it skips it while"
                + " fewer than 30%% of its connections are handshakes whose peer is not verified).%n",
                HandshakeCostServer.SCANDIUM_HVR, "DTLS_VERIFY_PEERS_ON_RESUMPTION_THRESHOLD"));
        sb.append(String.format("%nWhere each server's CPU went, per group of threads (/proc/<pid>/task; 10 ms ticks),"
                + " µs per handshake, largest first:%n%n| server | handshakes | threads |%n|---|---|---|%n"));
        for (Row r : rows) {
            sb.append(String.format("| %s | full | %s |%n", r.server(), perThread(r.full())));
            sb.append(String.format("| %s | resumed | %s |%n", r.server(), perThread(r.resumed())));
        }
        return sb.toString();
    }

    /** {@code run}'s CPU per group of threads, in µs per handshake, largest first. */
    private static String perThread(Run run) {
        int n = Math.max(1, run.completed() + run.failed());
        StringBuilder sb = new StringBuilder();
        run.threadCpuNanos().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey().strip()).append(' ')
                        .append(Math.round(e.getValue() / 1e3 / n)));
        return sb.toString();
    }

    private static String ratio(Run run, Run scandium) {
        return scandium == null ? "" : String.format("%.2f", run.cpuMillisPerHandshake() / scandium.cpuMillisPerHandshake());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The server's and the client's credentials and the CA, in one PKCS#12 file that the server JVM reads. */
    private static void writeKeyStore(Path file) throws Exception {
        TckPki pki = TckPki.get();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        Credentials server = pki.ecServer();
        ks.setKeyEntry("server", server.privateKey(), HandshakeCostServer.PASSWORD,
                server.certificateChain().toArray(new Certificate[0]));
        ks.setCertificateEntry("ca", pki.caCertificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, HandshakeCostServer.PASSWORD);
        }
    }

    private static Row measure(String server, Path keyStore, DtlsProvider clients, DtlsConfig clientConfig, int handshakes,
                               int warmUp) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : SERVER_JVM.replace("{server}", server).split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HandshakeCostServer.class.getName(), server,
                keyStore.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
             HandshakeCostClients.ContextPool shared = new HandshakeCostClients.ContextPool(clients, clientConfig)) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(expect(out, "port ")));
            HandshakeCostClients.drive(clients, clientConfig, null, address, warmUp);
            HandshakeCostClients.drive(clients, clientConfig, shared, address, warmUp);
            Mark mark0 = mark(in, out);
            Run full = HandshakeCostClients.drive(clients, clientConfig, null, address, handshakes);
            Mark mark1 = mark(in, out);
            Run resumed = HandshakeCostClients.drive(clients, clientConfig, shared, address, handshakes);
            Mark mark2 = mark(in, out);
            return new Row(server, withCpu(full, mark0, mark1), withCpu(resumed, mark1, mark2));
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Run withCpu(Run r, Mark before, Mark after) {
        return new Run(r.completed(), r.resumed(), r.failed(), r.resent(), r.datagramsSent(), r.datagramsReceived(),
                after.cpuNanos() - before.cpuNanos(), r.wallNanos(), ThreadCpu.minus(after.threads(), before.threads()));
    }

    /** The server process's CPU time at one moment, in all and per group of threads. */
    private record Mark(long cpuNanos, Map<String, Long> threads) {
    }

    private static Mark mark(PrintWriter in, BufferedReader out) throws IOException {
        in.println("mark");
        long cpu = Long.parseLong(expect(out, "cpu "));
        return new Mark(cpu, ThreadCpu.parse(expect(out, "threads ")));
    }

    /** The rest of the server's next line, which must start with {@code prefix}. */
    private static String expect(BufferedReader out, String prefix) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
            System.err.println("  server: " + line);
        }
        throw new IOException("the server process ended before it printed '" + prefix + "...'");
    }
}
