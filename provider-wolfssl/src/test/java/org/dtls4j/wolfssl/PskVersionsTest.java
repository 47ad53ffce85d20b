package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.junit.jupiter.api.Test;

/**
 * wolfSSL 5.9.2 fails an external PSK handshake in DTLS 1.3, so a PSK configuration that names
 * DTLS 1.3 is refused when the context is built, naming the fix, and one that left the versions
 * unset negotiates DTLS 1.2.
 */
@NeedsWolfSsl
class PskVersionsTest {

    private static final PreSharedKey KEY = PreSharedKey.of("client-1".getBytes(StandardCharsets.US_ASCII),
            "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void aPskConfigurationNamingDtls13IsRefusedWithTheFix() {
        DtlsConfig config = DtlsConfig.builder().preSharedKey(KEY)
                .protocolVersions(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3).build();
        assertThatThrownBy(() -> new WolfSslProvider().newContext(config))
                .isInstanceOf(DtlsUnsupportedCapabilityException.class)
                .hasMessageContaining("DTLS_1_2");
    }

    @Test
    void aPskConfigurationWithUnsetVersionsNegotiatesDtls12() {
        try (DtlsContext context = new WolfSslProvider().newContext(DtlsConfig.builder().preSharedKey(KEY).build())) {
            assertThat(context.config().protocolVersions()).isEqualTo(Set.of(ProtocolVersion.DTLS_1_2));
        }
    }
}
