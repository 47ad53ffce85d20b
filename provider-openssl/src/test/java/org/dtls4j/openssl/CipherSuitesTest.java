package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dtls4j.DtlsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CipherSuitesTest {

    @BeforeAll
    static void load() {
        assertThat(new OpenSslProvider().availability().isAvailable()).isTrue();
    }

    @Test
    void everyMappingAgreesWithOpenSsl() {
        CipherSuites.OPENSSL_NAMES.forEach((iana, openssl) -> {
            assertThat(LibSsl.OPENSSL_cipher_name(iana)).as("OPENSSL_cipher_name(%s)", iana).isEqualTo(openssl);
            assertThat(CipherSuites.ianaName(openssl)).as("back from %s", openssl).contains(iana);
        });
    }

    @Test
    void theDefaultSuitesAreAllOffered() {
        for (String s : DtlsConfig.DEFAULT_CIPHER_SUITES) {
            assertThat(CipherSuites.openSslName(s)).as(s).isPresent();
        }
        for (String s : DtlsConfig.DEFAULT_PSK_CIPHER_SUITES) {
            assertThat(CipherSuites.openSslName(s)).as(s).isPresent();
        }
    }

    @Test
    void unknownSuitesAreLeftOutInOrder() {
        assertThat(CipherSuites.openSslNames(List.of("TLS_FANCY_NEW_SUITE", "TLS_PSK_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")))
                .containsExactly("PSK-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256");
    }

    @Test
    void expansionCoversHeaderNonceAndTag() {
        assertThat(CipherSuites.maxExpansion("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isEqualTo(13 + 8 + 16);
        assertThat(CipherSuites.maxExpansion("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")).isEqualTo(13 + 16);
        assertThat(CipherSuites.maxExpansion("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")).isEqualTo(13 + 16 + 48 + 16);
    }
}
