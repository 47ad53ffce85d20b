package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.Capability;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PeerVerification;
import org.dtls4j.TransportOptions;
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
 * Every available provider against the real {@code openssl} command on 127.0.0.1, as
 * client of {@code openssl s_server -dtls1_2 -listen} and as server for
 * {@code openssl s_client -dtls1_2}: ECDSA and RSA certificates, mutual authentication,
 * and {@code -mtu 256} so that the handshake is fragmented. Skipped, with the reason,
 * where the openssl command is missing.
 */
class OpenSslPeerTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The profile both sides offer in the SRTP case. */
    private static final String SRTP_PROFILE = "SRTP_AES128_CM_SHA1_80";

    /** A case: which server credentials, mutual or not, which MTU, DTLS-SRTP or not. */
    enum Case {
        ECDSA(false, false, 1400, false), RSA(true, false, 1400, false), MUTUAL(false, true, 1400, false),
        MTU_256(false, false, 256, false), SRTP(false, false, 1400, true);

        final boolean rsa;
        final boolean mutual;
        final int mtu;
        final boolean srtp;

        Case(boolean rsa, boolean mutual, int mtu, boolean srtp) {
            this.rsa = rsa;
            this.mutual = mutual;
            this.mtu = mtu;
            this.srtp = srtp;
        }

        /** Adds what this case needs to the provider's config (skipping a provider that cannot). */
        void configure(DtlsProvider provider, DtlsConfig.Builder config) {
            if (srtp) {
                Assumptions.assumeTrue(provider.capabilities().contains(Capability.SRTP),
                        () -> "provider '" + provider.name() + "' does not declare SRTP");
                config.srtpProfiles(SRTP_PROFILE);
            }
        }

        /** Adds what this case needs to the openssl command's arguments. */
        void addArguments(List<String> args) {
            if (srtp) {
                args.addAll(List.of("-use_srtp", SRTP_PROFILE));
            }
        }

        /** Checks what this case negotiated. */
        void check(DtlsSessionInfo info) {
            if (srtp) {
                assertEquals(SRTP_PROFILE, info.srtpProfile().orElse("(none)"), "the SRTP profile openssl agreed to");
            }
        }
    }

    @TempDir
    static Path dir;
    static Pems.TckFiles pems;

    @BeforeAll
    static void writePems() throws IOException {
        String missing = PeerCommand.unavailableReason("openssl", "version");
        Assumptions.assumeTrue(missing == null, () -> "skipping openssl peers: " + missing);
        pems = Pems.tckFiles(dir);
    }

    static Stream<Arguments> cases() {
        return Providers.eachWith(Case.values());
    }

    @ParameterizedTest(name = "{0} client -> openssl s_server, {1}")
    @MethodSource("cases")
    void providerClientTalksToOpenSslServer(String providerName, Case c) throws Exception {
        DtlsProvider provider = Providers.available(providerName);
        int port = PeerCommand.freeUdpPort();
        List<String> args = new ArrayList<>(List.of("s_server", "-dtls1_2", "-listen", "-accept", "127.0.0.1:" + port,
                "-naccept", "1", "-cert", (c.rsa ? pems.rsaCert() : pems.serverCert()).toString(),
                "-key", (c.rsa ? pems.rsaKey() : pems.serverKey()).toString(), "-mtu", String.valueOf(c.mtu)));
        if (c.mutual) {
            args.addAll(List.of("-Verify", "1", "-CAfile", pems.ca().toString(), "-verify_return_error"));
        }
        DtlsConfig.Builder config = DtlsConfig.builder().trustedCertificates(TckPki.get().caCertificate())
                .maxDatagramSize(c.mtu).retransmission(Duration.ofMillis(300), Duration.ofSeconds(2));
        if (c.mutual) {
            config.credentials(TckPki.get().ecClient());
        }
        c.configure(provider, config);
        c.addArguments(args);
        try (PeerCommand server = PeerCommand.start("openssl", args.toArray(String[]::new));
             DtlsContext context = provider.newContext(config.build())) {
            server.await(l -> l.contains("ACCEPT"), WAIT, "ACCEPT");
            try (DtlsConnection connection = DtlsClient.connect(context, new InetSocketAddress("127.0.0.1", port), WAIT)) {
                connection.send(ByteBuffer.wrap(("ping-" + providerName + "\n").getBytes(StandardCharsets.UTF_8)));
                server.await(l -> l.contains("ping-" + providerName), WAIT, "the client's record");
                server.type("pong");
                ByteBuffer in = ByteBuffer.allocate(4096);
                int n = connection.receive(in, WAIT);
                assertEquals("pong\n", new String(in.array(), 0, n, StandardCharsets.UTF_8), "s_server's line reaches the client");
                c.check(connection.info());
            }
            assertTrue(server.awaitExit(WAIT), "s_server -naccept 1 ends after our close_notify:\n" + server.output());
        }
    }

    @ParameterizedTest(name = "openssl s_client -> {0} server, {1}")
    @MethodSource("cases")
    void providerServerAnswersOpenSslClient(String providerName, Case c) throws Exception {
        DtlsProvider provider = Providers.available(providerName);
        Credentials credentials = c.rsa ? TckPki.get().rsaServer() : TckPki.get().ecServer();
        DtlsConfig.Builder config = DtlsConfig.builder().credentials(credentials).maxDatagramSize(c.mtu)
                .retransmission(Duration.ofMillis(300), Duration.ofSeconds(2));
        if (c.mutual) {
            config.trustedCertificates(TckPki.get().caCertificate()).peerVerification(PeerVerification.REQUIRED);
        }
        c.configure(provider, config);
        Echo echo = new Echo();
        try (DtlsContext context = provider.newContext(config.build());
             DtlsServer server = DtlsServer.bind(context, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), echo)) {
            List<String> args = new ArrayList<>(List.of("s_client", "-dtls1_2", "-connect",
                    "127.0.0.1:" + server.localAddress().getPort(), "-CAfile", pems.ca().toString(), "-verify_return_error",
                    "-mtu", String.valueOf(c.mtu)));
            if (c.mutual) {
                args.addAll(List.of("-cert", pems.clientCert().toString(), "-key", pems.clientKey().toString()));
            }
            c.addArguments(args);
            try (PeerCommand client = PeerCommand.start("openssl", args.toArray(String[]::new))) {
                // s_client buffers its session summary when piped, but writes received data
                // at once; -verify_return_error aborts on a bad chain, so the echo proves both.
                client.type("ping-" + providerName);
                client.await(l -> l.equals("ping-" + providerName), WAIT, "the echo of its line");
                client.endInput();
                c.check(echo.awaitClosed(WAIT).info());
                assertTrue(client.awaitExit(WAIT), "s_client ends after its input does:\n" + client.output());
            }
            assertEquals(1, server.stats().handshakesCompleted(), "one handshake: " + server.stats());
        }
    }
}
