package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.ProtocolVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DTLS 1.0, where the JDK allows it. JDK 17 updates disable it in
 * {@code jdk.tls.disabledAlgorithms}; the pom runs this class a second time in a JVM whose
 * security properties re-enable it, so that the capability is tested whenever it is declared.
 */
class Dtls10Test {

    @BeforeEach
    void onlyWhereDeclared() {
        assumeTrue(new JsseProvider().capabilities().contains(Capability.DTLS_1_0),
                "this JDK disables DTLSv1.0 (jdk.tls.disabledAlgorithms), so the provider does not declare it");
    }

    @Test
    void aDtls10OnlyClientAndAServerOfferingBothAgreeOnDtls10WithACbcSuite() {
        DtlsConfig client = Configs.client().protocolVersions(ProtocolVersion.DTLS_1_0)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA").build();
        DtlsConfig server = Configs.server().protocolVersions(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA").build();
        try (Pair p = Pair.of(client, server).start()) {
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().protocolVersion()).isEqualTo(ProtocolVersion.DTLS_1_0);
            assertThat(p.server.info().orElseThrow().protocolVersion()).isEqualTo(ProtocolVersion.DTLS_1_0);
            assertThat(p.client.info().orElseThrow().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
            int max = p.client.session.maxRecordSize();
            byte[] record = new byte[max];
            p.client.send(record);
            p.settle(java.time.Duration.ofSeconds(1));
            assertThat(p.server.records()).hasSize(1);
            assertThat(p.wire().get(p.wire().size() - 1).bytes().length).isLessThanOrEqualTo(1400);
        }
    }

    @Test
    void bothVersionsOfferedNegotiateDtls12() {
        DtlsConfig both = Configs.client().protocolVersions(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2).build();
        DtlsConfig server = Configs.server().protocolVersions(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2).build();
        try (Pair p = Pair.of(both, server).start()) {
            p.awaitEstablished();
            assertThat(p.client.info().orElseThrow().protocolVersion()).isEqualTo(ProtocolVersion.DTLS_1_2);
        }
    }

    @Test
    void dtls10AloneWithOnlyAeadSuitesIsRefusedWhenTheContextIsMade() {
        DtlsConfig config = Configs.client().protocolVersions(ProtocolVersion.DTLS_1_0).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JsseProvider().newContext(config))
                .isInstanceOf(org.dtls4j.DtlsConfigurationException.class).hasMessageContaining("DTLS 1.0");
    }
}
