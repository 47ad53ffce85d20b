package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtlsSessionInfoTest {

    private static final String SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    @Test
    void builderDefaultsToAFullHandshakeWithoutExtras() {
        DtlsSessionInfo info = DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, SUITE).build();

        assertThat(info.protocolVersion()).isEqualTo(ProtocolVersion.DTLS_1_2);
        assertThat(info.cipherSuite()).isEqualTo(SUITE);
        assertThat(info.peerCertificates()).as("peer certificates").isEmpty();
        assertThat(info.applicationProtocol()).as("ALPN").isEmpty();
        assertThat(info.serverName()).as("SNI").isEmpty();
        assertThat(info.resumed()).as("resumed").isFalse();
        assertThat(info.pskIdentity()).as("PSK identity").isEmpty();
        assertThat(info.peerRawPublicKey()).as("raw public key").isEmpty();
    }

    @Test
    void pskIdentityAndRawKeyAreCarriedAsCopiesAndCompared() {
        byte[] identity = "device-17".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.security.PublicKey key = TestPki.ecKeyPair().getPublic();
        DtlsSessionInfo info = DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, SUITE).pskIdentity(identity)
                .peerRawPublicKey(key).build();
        identity[0] = 'X';

        assertThat(info.pskIdentity()).hasValueSatisfying(i -> assertThat(i).asString().isEqualTo("device-17"));
        info.pskIdentity().get()[0] = 'Y';
        assertThat(info.pskIdentity().get()[0]).as("the caller gets a copy").isEqualTo((byte) 'd');
        assertThat(info.peerRawPublicKey()).contains(key);
        assertThat(info.toString()).contains("psk=device-17", "peerRawPublicKey=EC");
        assertThat(info).isEqualTo(DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, SUITE)
                .pskIdentity("device-17".getBytes(java.nio.charset.StandardCharsets.UTF_8)).peerRawPublicKey(key).build());
        assertThat(info).isNotEqualTo(DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, SUITE).peerRawPublicKey(key).build());
    }

    @Test
    void builderCarriesEveryField() {
        TestPki.Issued ca = TestPki.ca("Info CA");
        List<X509Certificate> chain = new ArrayList<>(List.of(TestPki.leaf(ca, "peer").certificate(), ca.certificate()));

        DtlsSessionInfo info = DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_3, SUITE)
                .peerCertificates(chain).applicationProtocol("coap").serverName("device.example.com").resumed(true)
                .build();
        chain.clear();

        assertThat(info.peerCertificates()).as("a copy of the chain, taken when it was set").hasSize(2);
        assertThat(info.applicationProtocol()).contains("coap");
        assertThat(info.serverName()).contains("device.example.com");
        assertThat(info.resumed()).isTrue();
        assertThat(info.toString()).contains("DTLSv1.3", SUITE, "alpn=coap", "sni=device.example.com", "resumed",
                "peerCertificates=2");
        assertThatThrownBy(() -> info.peerCertificates().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyStringsMeanNoAlpnAndNoSni() {
        DtlsSessionInfo info = DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, SUITE)
                .applicationProtocol("").serverName("").build();

        assertThat(info.applicationProtocol()).as("ALPN from an empty string").isEmpty();
        assertThat(info.serverName()).as("SNI from an empty string").isEmpty();
        assertThat(info.toString()).doesNotContain("alpn=", "sni=");
    }

    @Test
    void nullArgumentsFailAtOnce() {
        assertThatThrownBy(() -> DtlsSessionInfo.builder(null, SUITE)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("protocolVersion");
        assertThatThrownBy(() -> DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("cipherSuite");
    }
}
