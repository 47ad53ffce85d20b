package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PeerVerification;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.peers.Echo;
import org.dtls4j.tck.peers.PeerCommand;
import org.dtls4j.tck.peers.Pems;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * wolfSSL's own example client and server ({@code examples/client/client},
 * {@code examples/server/server}, built by {@code scripts/wolfssl.sh}) as an external DTLS peer:
 * an implementation of DTLS 1.3 that is not ours, on 127.0.0.1. Every provider meets them in
 * every version it declares (DTLS 1.2 as {@code -u -v 3}, DTLS 1.3 as {@code -u -v 4}), both
 * ways, with mutual ECDSA authentication, a record echoed and a close_notify; and the example
 * client offering both versions ({@code -u -v d}) gets the newest the provider's server
 * declares. Skipped, with the reason, where the examples were not built.
 */
class WolfSslExamplePeerTests {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Set<ProtocolVersion> VERSIONS = EnumSet.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);
    /** What the example client sends, and prints when it reads it back from our echo. */
    private static final String CLIENT_MESSAGE = "hello wolfssl!";

    @TempDir
    static Path dir;
    static Pems.TckFiles pems;
    static Path examples;
    /** wolfSSL's source tree: the examples read their default files ({@code certs/}) from here. */
    static Path home;

    @BeforeAll
    static void findExamplesAndWritePems() throws Exception {
        examples = examplesDirectory();
        home = examples.getParent().getParent().resolve("src");
        pems = Pems.tckFiles(dir);
    }

    /** Where {@code scripts/wolfssl.sh --examples-dir} says the examples are, or a skip saying why not. */
    private static Path examplesDirectory() throws IOException, InterruptedException {
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
            Path s = d.resolve("scripts").resolve("wolfssl.sh");
            script = Files.isExecutable(s) ? s : null;
        }
        Assumptions.assumeTrue(script != null, "no scripts/wolfssl.sh above " + Path.of("").toAbsolutePath());
        Process p = new ProcessBuilder(script.toString(), "--examples-dir").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        Assumptions.assumeTrue(ended && p.exitValue() == 0 && !out.isEmpty(),
                "wolfSSL's examples are not built here: run scripts/wolfssl.sh (" + script + " --examples-dir: "
                        + (ended ? "exit " + p.exitValue() : "did not end") + ")");
        Path dir = Path.of(out);
        Assumptions.assumeTrue(Files.isExecutable(dir.resolve("server/server")) && Files.isExecutable(dir.resolve("client/client")),
                "no client/client and server/server under " + dir);
        return dir;
    }

    /** Every provider with every version it declares (of 1.2 and 1.3). */
    static Stream<Arguments> providerVersions() {
        List<Arguments> out = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            for (ProtocolVersion v : VERSIONS) {
                if (v == ProtocolVersion.DTLS_1_2 || Capabilities.protocolVersions(p).contains(v)) {
                    out.add(Arguments.of(p.name(), v));
                }
            }
        }
        return out.stream();
    }

    static Stream<String> providerNames() {
        return Dtls.providers().stream().map(DtlsProvider::name);
    }

    @ParameterizedTest(name = "{0} client -> wolfSSL example server, {1}")
    @MethodSource("providerVersions")
    void providerClientTalksToExampleServer(String providerName, ProtocolVersion version) throws Exception {
        DtlsProvider provider = Providers.available(providerName);
        int port = PeerCommand.freeUdpPort();
        DtlsConfig config = DtlsConfig.builder().protocolVersions(version).trustedCertificates(TckPki.get().caCertificate())
                .credentials(TckPki.get().ecClient()).retransmission(Duration.ofMillis(300), Duration.ofSeconds(2))
                .handshakeTimeout(WAIT).build();
        // -e: echo every record until close_notify, then answer it and exit 0. The server prints
        // nothing before its handshake, so the client does not wait for it: a ClientHello sent
        // before the port is bound is lost and sent again.
        try (PeerCommand server = PeerCommand.startIn(home, examples.resolve("server/server").toString(), "-u",
                "-v", flag(version), "-p", String.valueOf(port), "-e", "-c", pems.serverCert().toString(), "-k",
                pems.serverKey().toString(), "-A", pems.ca().toString());
             DtlsContext context = provider.newContext(config)) {
            String line = "ping-" + providerName;
            try (DtlsConnection connection = DtlsClient.connect(context, new InetSocketAddress("127.0.0.1", port), WAIT)) {
                assertEquals(version, connection.info().protocolVersion(), "the version negotiated");
                connection.send(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                ByteBuffer in = ByteBuffer.allocate(4096);
                int n = connection.receive(in, WAIT);
                assertEquals(line, new String(in.array(), 0, n, StandardCharsets.UTF_8), "the example server echoes");
            }
            assertTrue(server.awaitExit(WAIT), "the example server ends after our close_notify:\n" + server.output());
            assertEquals(0, server.exitValue(), "the example server's exit status:\n" + server.output());
            server.await(l -> l.equals("SSL version is " + version.standardName()), WAIT, "the version");
        }
    }

    @ParameterizedTest(name = "wolfSSL example client -> {0} server, {1}")
    @MethodSource("providerVersions")
    void exampleClientTalksToProviderServer(String providerName, ProtocolVersion version) throws Exception {
        DtlsSessionInfo info = exampleClientAgainst(providerName, EnumSet.of(version), flag(version));
        assertEquals(version, info.protocolVersion(), "the version our server reports");
    }

    @ParameterizedTest(name = "wolfSSL example client offering 1.2 and 1.3 -> {0} server")
    @MethodSource("providerNames")
    void exampleClientOfferingBothGetsTheNewestVersionTheServerDeclares(String providerName) throws Exception {
        Set<ProtocolVersion> declared = EnumSet.copyOf(VERSIONS);
        declared.retainAll(Capabilities.protocolVersions(Providers.available(providerName)));
        ProtocolVersion newest = declared.contains(ProtocolVersion.DTLS_1_3) ? ProtocolVersion.DTLS_1_3
                : ProtocolVersion.DTLS_1_2;
        DtlsSessionInfo info = exampleClientAgainst(providerName, declared, "d");
        assertEquals(newest, info.protocolVersion(), "a server offering " + declared + " to a client offering both");
    }

    /**
     * The example client against the provider's echo server accepting {@code versions}: it sends
     * its message, prints the echo, sends close_notify and exits 0; returns what our server saw.
     */
    private static DtlsSessionInfo exampleClientAgainst(String providerName, Set<ProtocolVersion> versions,
                                                        String versionFlag) throws Exception {
        DtlsProvider provider = Providers.available(providerName);
        DtlsConfig config = DtlsConfig.builder().protocolVersions(versions).credentials(TckPki.get().ecServer())
                .trustedCertificates(TckPki.get().caCertificate()).peerVerification(PeerVerification.REQUIRED)
                .retransmission(Duration.ofMillis(300), Duration.ofSeconds(2)).handshakeTimeout(WAIT).build();
        Echo echo = new Echo();
        try (DtlsContext context = provider.newContext(config);
             DtlsServer server = DtlsServer.bind(context, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), echo);
             PeerCommand client = PeerCommand.startIn(home, examples.resolve("client/client").toString(), "-u", "-v",
                     versionFlag, "-h", "127.0.0.1", "-p", String.valueOf(server.localAddress().getPort()), "-c",
                     pems.clientCert().toString(), "-k", pems.clientKey().toString(), "-A", pems.ca().toString())) {
            // The client buffers its output when piped: all of it comes when it exits.
            client.await(l -> l.equals(CLIENT_MESSAGE), WAIT, "our server's echo of its message");
            assertTrue(client.awaitExit(WAIT), "the example client ends after the echo:\n" + client.output());
            assertEquals(0, client.exitValue(), "the example client's exit status:\n" + client.output());
            DtlsSessionInfo info = echo.awaitClosed(WAIT).info();
            client.await(l -> l.equals("SSL version is " + info.protocolVersion().standardName()), WAIT,
                    "the version our server reports");
            assertEquals(1, server.stats().handshakesCompleted(), "one handshake: " + server.stats());
            return info;
        }
    }

    /** The examples' {@code -v} for a DTLS version (with {@code -u}): 3 is DTLS 1.2, 4 is DTLS 1.3. */
    private static String flag(ProtocolVersion version) {
        return switch (version) {
            case DTLS_1_2 -> "3";
            case DTLS_1_3 -> "4";
            case DTLS_1_0 -> throw new IllegalArgumentException("the examples are not run in DTLS 1.0");
        };
    }
}
