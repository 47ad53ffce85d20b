package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
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
 * Every provider as a server for {@code gnutls-cli --udp} (GnuTLS, an implementation no
 * provider shares code with): ECDSA with the CA and the host name checked, mutual
 * authentication, a 256-byte MTU, and raw public keys both ways (RFC 7250) where the
 * provider declares them. gnutls-cli is only a client, so nothing here listens beyond our
 * own server on 127.0.0.1; {@code gnutls-serv}, which cannot bind one address, is not used.
 * The command runs bounded in time and is ended by its PID.
 */
class GnuTlsPeerTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DTLS_1_2 = "NORMAL:-VERS-ALL:+VERS-DTLS1.2";
    /** Raw public keys only, for the server's key and the client's. */
    private static final String RAW_KEYS_ONLY = DTLS_1_2
            + ":+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK:-CTYPE-SRV-X509:-CTYPE-CLI-X509";

    /** A case: how the two sides authenticate, and the MTU. */
    enum Case {
        ECDSA(1400), MUTUAL(1400), MTU_256(256), RAW_KEYS(1400);

        final int mtu;

        Case(int mtu) {
            this.mtu = mtu;
        }
    }

    @TempDir
    static Path dir;
    static Path ca;
    static Path clientCert;
    static Path clientKey;
    static Path rawClientKey;
    static Path rawClientPublicKey;

    @BeforeAll
    static void writePems() throws IOException {
        String missing = PeerCommand.unavailableReason("gnutls-cli", "--version");
        Assumptions.assumeTrue(missing == null, () -> "skipping gnutls peers: " + missing);
        TckPki pki = TckPki.get();
        ca = Pems.certificates(dir, "ca.pem", List.of(pki.caCertificate()));
        clientCert = Pems.certificates(dir, "client.pem", pki.ecClient().certificateChain());
        clientKey = Pems.ecKeyWithPublicKey(dir, "client.key", pki.ecClient());
        rawClientKey = Pems.ecKeyWithPublicKey(dir, "raw-client.key", pki.rawClient());
        rawClientPublicKey = Pems.publicKey(dir, "raw-client.pub", pki.rawClient());
    }

    static Stream<Arguments> cases() {
        return Providers.eachWith(Case.values());
    }

    @ParameterizedTest(name = "gnutls-cli -> {0} server, {1}")
    @MethodSource("cases")
    void providerServerAnswersGnuTlsClient(String providerName, Case c) throws Exception {
        DtlsProvider provider = Providers.available(providerName);
        TckPki pki = TckPki.get();
        DtlsConfig.Builder config = DtlsConfig.builder().maxDatagramSize(c.mtu)
                .retransmission(Duration.ofMillis(300), Duration.ofSeconds(2));
        switch (c) {
            case ECDSA, MTU_256 -> config.credentials(pki.ecServer());
            case MUTUAL -> config.credentials(pki.ecServer()).trustedCertificates(pki.caCertificate())
                    .peerVerification(PeerVerification.REQUIRED);
            case RAW_KEYS -> {
                Assumptions.assumeTrue(provider.capabilities().contains(Capability.RAW_PUBLIC_KEY),
                        () -> "provider '" + providerName + "' does not declare RAW_PUBLIC_KEY");
                config.credentials(pki.rawServer()).trustedRawPublicKeys(pki.rawClient().publicKey())
                        .peerVerification(PeerVerification.REQUIRED);
            }
        }
        Echo echo = new Echo();
        try (DtlsContext context = provider.newContext(config.build());
             DtlsServer server = DtlsServer.bind(context, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), echo)) {
            List<String> args = new ArrayList<>(List.of("--udp", "--port", String.valueOf(server.localAddress().getPort()),
                    "--mtu", String.valueOf(c.mtu)));
            if (c == Case.RAW_KEYS) {
                // gnutls-cli has no way to pin the server's raw key here but trust on first
                // use; that the server's key reached it is checked in its output instead
                args.addAll(List.of("--priority", RAW_KEYS_ONLY, "--no-ca-verification",
                        "--rawpkkeyfile", rawClientKey.toString(), "--rawpkfile", rawClientPublicKey.toString()));
            } else {
                args.addAll(List.of("--priority", DTLS_1_2, "--x509cafile", ca.toString(),
                        "--verify-hostname", TckPki.SERVER_NAME));
            }
            if (c == Case.MUTUAL) {
                args.addAll(List.of("--x509certfile", clientCert.toString(), "--x509keyfile", clientKey.toString()));
            }
            args.add("127.0.0.1");
            try (PeerCommand client = PeerCommand.start("gnutls-cli", args.toArray(String[]::new))) {
                client.await(l -> l.contains("Handshake was completed"), WAIT, "a completed handshake");
                client.type("ping-" + providerName);
                client.await(l -> l.equals("ping-" + providerName), WAIT, "the echo of its line");
                client.endInput();
                DtlsConnection connection = echo.awaitClosed(WAIT);
                assertTrue(client.awaitExit(WAIT), "gnutls-cli ends after its input does:\n" + client.output());
                if (c == Case.RAW_KEYS) {
                    assertTrue(client.output().contains("Certificate type: Raw Public Key"),
                            "gnutls-cli got the server's raw public key:\n" + client.output());
                    assertEquals(pki.rawClient().publicKey(), connection.info().peerRawPublicKey().orElse(null),
                            "the server reports gnutls-cli's raw public key");
                } else if (c == Case.MUTUAL) {
                    assertEquals(pki.ecClient().certificateChain().get(0), connection.info().peerCertificates().get(0),
                            "the server reports gnutls-cli's certificate");
                }
            }
            assertEquals(1, server.stats().handshakesCompleted(), "one handshake: " + server.stats());
        }
    }
}
