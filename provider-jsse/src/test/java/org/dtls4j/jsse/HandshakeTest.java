package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/** Full handshakes between two JSSE sessions, and what they report. */
class HandshakeTest {

    @Test
    void ecdsaP256HandshakeReportsTheSameParametersOnBothSides() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            p.awaitEstablished();
            DtlsSessionInfo c = p.client.info().orElseThrow();
            DtlsSessionInfo s = p.server.info().orElseThrow();
            assertThat(c.protocolVersion()).isEqualTo(ProtocolVersion.DTLS_1_2);
            assertThat(c.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").isEqualTo(s.cipherSuite());
            assertThat(c.peerCertificates()).containsExactlyElementsOf(TckPki.get().ecServer().certificateChain());
            assertThat(s.peerCertificates()).as("no client certificate was asked for").isEmpty();
            assertThat(c.applicationProtocol()).isEmpty();
            assertThat(s.applicationProtocol()).isEmpty();
            assertThat(c.serverName()).contains(TckPki.SERVER_NAME);
            assertThat(s.serverName()).as("the server reports the SNI it received").contains(TckPki.SERVER_NAME);
            assertThat(c.resumed()).isFalse();
            assertThat(p.client.session.info()).contains(c);
            assertThat(p.server.session.info()).contains(s);
            assertThat(p.client.completions()).isEqualTo(1);
            assertThat(p.server.completions()).isEqualTo(1);
            assertThat(p.client.session.nextTimeout()).as("an established session arms no timer")
                    .isEqualTo(org.dtls4j.DtlsSession.NO_TIMEOUT);
        }
    }

    @Test
    void rsa2048HandshakeNegotiatesAnRsaSuite() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server(TckPki.get().rsaServer()).build()).start()) {
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            assertThat(p.server.info().orElseThrow().cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void ed25519CertificatesWorkWithTheEcdsaSuites() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server(TckPki.get().ed25519Server()).build()).start()) {
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            assertThat(p.client.info().orElseThrow().peerCertificates().get(0).getPublicKey().getAlgorithm()).isEqualTo("EdDSA");
        }
    }

    @Test
    void serverPrefersTheConfiguredSuiteOrder() {
        DtlsConfig server = Configs.server().cipherSuites("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build();
        try (Pair p = Pair.of(Configs.client().build(), server).start()) {
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        }
    }

    @Test
    void mutualAuthenticationReportsTheClientChain() {
        try (Pair p = Pair.of(Configs.mutualClient().build(), Configs.mutualServer().build()).start()) {
            p.awaitEstablished();
            assertThat(p.server.info().orElseThrow().peerCertificates())
                    .containsExactlyElementsOf(TckPki.get().ecClient().certificateChain());
        }
    }

    @Test
    void optionalClientAuthenticationAcceptsAClientWithoutCertificate() {
        DtlsConfig server = Configs.server().peerVerification(org.dtls4j.PeerVerification.OPTIONAL).build();
        try (Pair p = Pair.of(Configs.client().build(), server).start()) {
            p.awaitEstablished();
            assertThat(p.server.info().orElseThrow().peerCertificates()).isEmpty();
        }
    }

    @Test
    void alpnAndSniAreNegotiatedAndReportedOnBothSides() {
        DtlsConfig client = Configs.client().applicationProtocols("h2", "coap").build();
        DtlsConfig server = Configs.server().applicationProtocols("coap", "mqtt").build();
        try (Pair p = Pair.of(client, server).start()) {
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().applicationProtocol()).contains("coap");
            assertThat(p.server.info().orElseThrow().applicationProtocol()).contains("coap");
            assertThat(p.server.info().orElseThrow().serverName()).contains(TckPki.SERVER_NAME);
        }
    }

    @Test
    void sniDefaultsToThePeersDnsName() { // the rule itself: spi.ServerNamesTest
        DtlsConfig client = Configs.fast().trustedCertificates(TckPki.get().caCertificate()).build();
        try (Pair p = Pair.of(client, Configs.server().build()).start()) {
            p.awaitEstablished();
            assertThat(p.server.info().orElseThrow().serverName()).as("the peer address's host name")
                    .contains(TckPki.SERVER_NAME);
        }
    }

    @Test
    void everyHandshakeDatagramFitsASmallMaximumDatagramSize() {
        int mtu = 256;
        DtlsConfig client = Configs.client().maxDatagramSize(mtu).build();
        DtlsConfig server = Configs.server(TckPki.get().rsaServer()).maxDatagramSize(mtu).build();
        try (Pair p = Pair.of(client, server).start()) {
            p.awaitEstablished();
            assertThat(p.wire()).allSatisfy(w -> assertThat(w.bytes().length).isLessThanOrEqualTo(mtu));
            assertThat(p.wire().size()).as("an RSA chain in 256-byte datagrams is many fragments").isGreaterThan(10);
        }
    }

    @Test
    void aServerArmsNoTimerBeforeTheFirstClientHello() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            p.server.session.beginHandshake();
            assertThat(p.server.session.state()).isEqualTo(DtlsSessionState.HANDSHAKING);
            assertThat(p.server.session.nextTimeout()).isEqualTo(org.dtls4j.DtlsSession.NO_TIMEOUT);
            assertThat(p.wire()).isEmpty();
        }
    }

    @Test
    void beginHandshakeTwiceIsRefused() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            org.assertj.core.api.Assertions.assertThatIllegalStateException()
                    .isThrownBy(() -> p.client.session.beginHandshake());
            p.awaitEstablished();
        }
    }

    @Test
    void realTimeHandshakeSurvivesRandomLoss() {
        long seed = Long.getLong("dtls4j.tck.seed", System.nanoTime());
        System.out.println("realTimeHandshakeSurvivesRandomLoss seed " + seed + " (rerun with -Ddtls4j.tck.seed=" + seed + ")");
        java.util.Random random = new java.util.Random(seed);
        DtlsConfig client = Configs.client().retransmission(Duration.ofMillis(20), Duration.ofMillis(80)).build();
        DtlsConfig server = Configs.server().retransmission(Duration.ofMillis(20), Duration.ofMillis(80)).build();
        try (Pair p = Pair.realTime(client, server).filter((from, bytes) -> random.nextDouble() < 0.25).start()) {
            assertThat(p.runUntil(() -> p.client.info().isPresent() && p.server.info().isPresent(),
                    Duration.ofSeconds(8))).as("seed %d%n%s", seed, p.describe()).isTrue();
            p.filter((from, bytes) -> false);
            p.client.send(new byte[] {7});
            p.runUntil(() -> !p.server.records().isEmpty(), Duration.ofSeconds(2));
            assertThat(p.server.records()).containsExactly(new byte[] {7});
        }
    }
}
