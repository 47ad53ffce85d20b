package org.dtls4j.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dtls4j.Capability;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.peers.Echo;
import org.dtls4j.tck.peers.PeerCommand;
import org.dtls4j.tck.peers.Pems;

/**
 * The external peers {@code dtls4j interop} runs each provider against, where their
 * commands are installed: {@code openssl s_client} and {@code gnutls-cli} against the
 * provider's server, the provider's client against {@code openssl s_server -listen}. ECDSA
 * P-256, the CA and host name checked (the host name only by providers that declare SNI), a
 * line of data each way. Every process binds or talks to 127.0.0.1 only, runs bounded in
 * time, and is ended by its PID.
 */
final class ExternalPeers implements AutoCloseable {

    /** One way to meet an external peer. */
    enum Check {
        OPENSSL_CLIENT("openssl s_client -> server", "openssl"),
        OPENSSL_SERVER("client -> openssl s_server", "openssl"),
        GNUTLS_CLIENT("gnutls-cli -> server", "gnutls-cli");

        final String title;
        final String program;

        Check(String title, String program) {
            this.title = title;
            this.program = program;
        }
    }

    private final Duration timeout;
    private final Path dir;
    private final Pems.TckFiles pems;

    ExternalPeers(Duration timeout) throws IOException {
        this.timeout = timeout;
        dir = Files.createTempDirectory("dtls4j-interop");
        pems = Pems.tckFiles(dir);
    }

    /** Why {@code check}'s command cannot run here, or null if it can. */
    static String unavailable(Check check) {
        return PeerCommand.unavailableReason(check.program, check.program.equals("openssl") ? "version" : "--version");
    }

    /**
     * Runs one check for one provider.
     *
     * @return a short description of what passed
     * @throws IllegalStateException, AssertionError if it failed, saying how
     */
    String run(Check check, DtlsProvider provider) throws Exception {
        return switch (check) {
            case OPENSSL_CLIENT -> againstClient(provider, "openssl", List.of("s_client", "-dtls1_2", "-CAfile",
                    pems.ca().toString(), "-verify_return_error", "-verify_hostname", TckPki.SERVER_NAME, "-connect"), true);
            case GNUTLS_CLIENT -> againstClient(provider, "gnutls-cli", List.of("--udp", "--priority",
                    "NORMAL:-VERS-ALL:+VERS-DTLS1.2", "--x509cafile", pems.ca().toString(), "--verify-hostname",
                    TckPki.SERVER_NAME, "--port"), false);
            case OPENSSL_SERVER -> againstServer(provider);
        };
    }

    /** The provider's echo server against a client command that sends a line and prints the echo. */
    private String againstClient(DtlsProvider provider, String program, List<String> arguments, boolean hostPort)
            throws Exception {
        DtlsConfig config = DtlsConfig.builder().credentials(TckPki.get().ecServer()).build();
        Echo echo = new Echo();
        try (DtlsContext context = provider.newContext(config);
             DtlsServer server = DtlsServer.bind(context, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), echo)) {
            int port = server.localAddress().getPort();
            String[] args = arguments.toArray(new String[arguments.size() + (hostPort ? 1 : 2)]);
            if (hostPort) {
                args[arguments.size()] = "127.0.0.1:" + port;
            } else {
                args[arguments.size()] = String.valueOf(port);
                args[arguments.size() + 1] = "127.0.0.1";
            }
            try (PeerCommand client = PeerCommand.start(program, args)) {
                String line = "ping-" + provider.name();
                client.type(line);
                client.await(l -> l.equals(line), timeout, "the echo of its line");
                client.endInput();
                if (!client.awaitExit(timeout)) {
                    throw new IllegalStateException(program + " did not end after its input did");
                }
            }
            return "pass, " + suite(echo.awaitConnected(timeout).info());
        }
    }

    /** The provider's client against {@code openssl s_server -listen}. */
    private String againstServer(DtlsProvider provider) throws Exception {
        int port = PeerCommand.freeUdpPort();
        DtlsConfig.Builder builder = DtlsConfig.builder().trustedCertificates(TckPki.get().caCertificate());
        // The host name travels as SNI: a provider without SNI (wolfssl so far) checks the CA only, and says so.
        boolean sni = provider.capabilities().contains(Capability.SNI);
        if (sni) {
            builder.serverName(TckPki.SERVER_NAME);
        }
        DtlsConfig config = builder.build();
        try (PeerCommand server = PeerCommand.start("openssl", "s_server", "-dtls1_2", "-listen", "-accept",
                "127.0.0.1:" + port, "-naccept", "1", "-cert", pems.serverCert().toString(), "-key", pems.serverKey().toString());
             DtlsContext context = provider.newContext(config)) {
            server.await(l -> l.contains("ACCEPT"), timeout, "ACCEPT");
            try (DtlsConnection connection = DtlsClient.connect(context, new InetSocketAddress("127.0.0.1", port), timeout)) {
                connection.send(ByteBuffer.wrap(("ping-" + provider.name() + "\n").getBytes(StandardCharsets.UTF_8)));
                server.await(l -> l.contains("ping-" + provider.name()), timeout, "the client's line");
                server.type("pong");
                ByteBuffer in = ByteBuffer.allocate(4096);
                int n = connection.receive(in, timeout);
                if (!"pong\n".equals(new String(in.array(), 0, Math.max(0, n), StandardCharsets.UTF_8))) {
                    throw new IllegalStateException("s_server's line did not arrive intact");
                }
                return "pass, " + suite(connection.info()) + (sni ? "" : " (no SNI: host name not checked)");
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static String suite(DtlsSessionInfo info) {
        return info.protocolVersion().standardName() + " " + info.cipherSuite().replace("TLS_", "").replace("_WITH_", " ");
    }
}
