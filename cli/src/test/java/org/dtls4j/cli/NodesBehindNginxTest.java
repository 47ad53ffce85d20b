package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.dtls4j.Capability;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.SharedKeys;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.peers.PeerCommand;
import org.dtls4j.tck.peers.Pems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several nodes, one service, the way users run it: three {@code dtls4j server --keys FILE}
 * processes on 127.0.0.1 behind nginx's UDP load balancer (Debian's {@code nginx} and
 * {@code libnginx-mod-stream}). A client connects through nginx, the node that served it is
 * killed, and the client, reconnecting from a new socket with the same context, lands on another
 * node and resumes there. Runs for each provider and version with
 * {@link Capability#SHARED_SESSION_TICKETS}; skips, with the reason, where nginx or its stream
 * module is missing. Every process started is ended by its PID.
 */
class NodesBehindNginxTest {

    private static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
    private static final int NODES = 3;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);
    private static final Duration RECONNECT_DEADLINE = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final List<PeerCommand> nodes = new ArrayList<>();
    private PeerCommand nginx;

    @BeforeEach
    void requireNginx() {
        String missing = PeerCommand.unavailableReason("nginx", "-v");
        Assumptions.assumeTrue(missing == null, () -> "skipping the nginx test: " + missing
                + " (Debian: apt-get install nginx libnginx-mod-stream)");
        Assumptions.assumeTrue(Files.isReadable(STREAM_MODULE), () -> "skipping the nginx test: no " + STREAM_MODULE
                + " (Debian: apt-get install libnginx-mod-stream)");
    }

    @AfterEach
    void endEveryProcess() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (PeerCommand node : nodes) {
            node.close();
        }
    }

    static Stream<Arguments> providersWithSharedTickets() {
        List<Arguments> out = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            if (p.availability().isAvailable() && p.capabilities().contains(Capability.SHARED_SESSION_TICKETS)) {
                for (ProtocolVersion v : Capabilities.protocolVersions(p)) {
                    if (v != ProtocolVersion.DTLS_1_0) {
                        out.add(Arguments.of(p.name(), v));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersWithSharedTickets")
    void aClientMovedToAnotherNodeResumesThere(String providerName, ProtocolVersion version) throws Exception {
        // nginx's workers run as nobody: they must be able to reach what the master hands them
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path keys = dir.resolve("keys");
        SharedKeys.writeNew(keys);
        Pems.TckFiles pems = Pems.tckFiles(dir);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            int port = PeerCommand.freeUdpPort();
            ports.add(port);
            nodes.add(startNode(providerName, version, port, keys, pems));
        }
        for (PeerCommand node : nodes) {
            node.await(l -> l.contains("listening on"), START, "its 'listening on' line");
        }
        int front = PeerCommand.freeUdpPort();
        nginx = startNginx(front, ports);
        InetSocketAddress service = new InetSocketAddress("127.0.0.1", front);

        DtlsConfig config = DtlsConfig.builder().protocolVersions(version).trustedCertificates(TckPki.get().caCertificate())
                .retransmission(Duration.ofMillis(300), Duration.ofSeconds(2)).handshakeTimeout(HANDSHAKE).build();
        DtlsProvider provider = Dtls.provider(providerName);
        try (DtlsContext client = provider.newContext(config)) {
            try (DtlsConnection first = connectWithin(client, service, RECONNECT_DEADLINE)) {
                assertFalse(first.info().resumed(), "a first handshake is full");
                assertEcho(first, "first");
            }
            int served = nodeThatConnected(-1, false);
            nodes.get(served).close(); // ends it by its PID, as a crash or a redeploy would

            long reconnecting = System.nanoTime();
            try (DtlsConnection second = connectWithin(client, service, RECONNECT_DEADLINE)) {
                System.out.println("[nginx] " + providerName + " " + version.standardName() + ": node " + served
                        + " served and was killed; reconnected in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reconnecting)
                        + " ms: " + second.info());
                assertEcho(second, "second");
                int next = nodeThatConnected(served, true);
                assertTrue(second.info().resumed(), "the client resumed at node " + next + " the session node " + served
                        + " made: " + second.info() + "\n" + outputs());
                assertTrue(next != served, "another node served the reconnection");
                nodes.get(next).await(l -> l.startsWith("stats ") && l.contains(" resumed=1 "), Duration.ofSeconds(15),
                        "a stats line (--stats-interval 5) that counts the resumption");
            }
        }
    }

    private PeerCommand startNode(String provider, ProtocolVersion version, int port, Path keys, Pems.TckFiles pems)
            throws IOException {
        List<String> classPath = new ArrayList<>();
        classPath.add(System.getProperty("dtls4j.cli.classes"));
        classPath.addAll(NoJUnitAtRunTimeTest.runtimeClassPath());
        return PeerCommand.start(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath), Main.class.getName(), "server",
                "--provider", provider, "--bind", "127.0.0.1", "--port", String.valueOf(port), "--keys", keys.toString(),
                "--cert", pems.serverCert().toString(), "--key", pems.serverKey().toString(), "--stats-interval", "5");
    }

    /** nginx in the foreground from a config of our own, bound to 127.0.0.1 only; ready when its pid file is. */
    private PeerCommand startNginx(int front, List<Integer> ports) throws IOException, InterruptedException {
        StringBuilder upstream = new StringBuilder();
        for (int port : ports) {
            // passive health: one failed exchange (ICMP port unreachable) takes the node out for 30 s
            upstream.append("        server 127.0.0.1:").append(port).append(" max_fails=1 fail_timeout=30s;\n");
        }
        Path pid = dir.resolve("nginx.pid");
        String conf = "load_module " + STREAM_MODULE + ";\n"
                + "daemon off;\nworker_processes 1;\npid " + pid + ";\nerror_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 256; }\n"
                + "stream {\n    upstream nodes {\n" + upstream + "    }\n"
                + "    server {\n        listen 127.0.0.1:" + front + " udp;\n        proxy_pass nodes;\n"
                // a client's datagrams go to one node while it keeps talking; any number of answers come back
                + "        proxy_timeout 20s;\n        proxy_connect_timeout 2s;\n    }\n}\n";
        Path file = Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
        PeerCommand started = PeerCommand.start("nginx", "-p", dir.toString(), "-c", file.toString(),
                "-e", dir.resolve("error.log").toString());
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.exists(pid)) {
            if (System.nanoTime() > deadline || started.awaitExit(Duration.ZERO)) {
                String log = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
                started.close();
                throw new AssertionError("nginx did not start:\n" + started.output() + "\n" + log + "\nconfig:\n" + conf);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return started;
    }

    /** Connects through the balancer, retrying (a datagram sent to a dead node is lost) until {@code deadline}. */
    private DtlsConnection connectWithin(DtlsContext client, InetSocketAddress service, Duration deadline)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<String> failures = new ArrayList<>();
        while (System.nanoTime() < end) {
            try {
                return DtlsClient.connect(client, service, HANDSHAKE);
            } catch (DtlsException e) {
                failures.add(e.toString());
            }
        }
        throw new AssertionError("no handshake through nginx within " + deadline + ": " + failures + "\n" + outputs());
    }

    private void assertEcho(DtlsConnection c, String what) throws IOException {
        byte[] ping = ("ping " + what).getBytes(StandardCharsets.UTF_8);
        c.send(ByteBuffer.wrap(ping));
        ByteBuffer in = ByteBuffer.allocate(2048);
        int n = c.receive(in, HANDSHAKE);
        assertEquals("ping " + what, new String(in.array(), 0, n, StandardCharsets.UTF_8), "the node echoes the " + what + " record");
    }

    /** The node other than {@code except} whose output has a "connected" line (with "resumed" if asked); awaited. */
    private int nodeThatConnected(int except, boolean resumed) {
        long deadline = System.nanoTime() + HANDSHAKE.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < nodes.size(); i++) {
                if (i != except && connectedLine(nodes.get(i), resumed).isPresent()) {
                    return i;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("no node printed a 'connected" + (resumed ? " ... resumed" : "") + "' line:\n" + outputs());
    }

    private static Optional<String> connectedLine(PeerCommand node, boolean resumed) {
        return node.output().lines().filter(l -> l.startsWith("connected ") && (!resumed || l.contains(" resumed"))).findFirst();
    }

    private String outputs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            b.append("--- node ").append(i).append(":\n").append(nodes.get(i).output()).append('\n');
        }
        return b.toString();
    }
}
