package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CipherSuitesTest {

    @Test
    void ianaNamesMapToTheirCodesAndBack() {
        assertThat(CipherSuites.code("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).contains(0xC02B);
        assertThat(CipherSuites.code("TLS_PSK_WITH_AES_128_GCM_SHA256")).contains(0x00A8);
        assertThat(CipherSuites.name(0xCCA9)).isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(CipherSuites.code("TLS_NO_SUCH_SUITE")).isEmpty();
        assertThat(CipherSuites.name(0xFFFF)).isEqualTo("0xFFFF");
    }

    @Test
    void unknownNamesAreLeftOutKeepingTheOrder() {
        assertThat(CipherSuites.codes(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_NOPE",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))).containsExactly(0xC02F, 0xC02B);
    }

    @Test
    void suitesAreClassifiedByHowTheyAuthenticate() {
        assertThat(CipherSuites.isPsk(0xCCAC)).as("ECDHE_PSK").isTrue();
        assertThat(CipherSuites.isPsk(0xC02B)).isFalse();
        assertThat(CipherSuites.isEcdsa(0xC02B)).isTrue();
        assertThat(CipherSuites.isRsaSigned(0xC02F)).isTrue();
        assertThat(CipherSuites.isRsaSigned(0xC02B)).isFalse();
    }
}
