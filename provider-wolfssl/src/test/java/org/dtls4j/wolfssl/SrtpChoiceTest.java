package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wolfSSL server picks the first of its own SRTP profiles that the client offers
 * ({@link SrtpChoice}); wolfSSL alone picks the client's first, and a wolfSSL client offers its
 * profiles in the order of their IANA values (a bit mask), whatever its configuration's order:
 * SRTP_AES128_CM_SHA1_80 (1) before SRTP_AES128_CM_SHA1_32 (2), which this test then sees.
 */
@NeedsWolfSsl
class SrtpChoiceTest {

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"DTLS_1_2", "DTLS_1_3"})
    void theServersFirstCommonProfileIsChosen(ProtocolVersion version) {
        WolfSslProvider provider = new WolfSslProvider();
        try (DtlsContext client = provider.newContext(TckPki.get().clientConfig().protocolVersions(version)
                     .srtpProfiles("SRTP_AES128_CM_SHA1_32", "SRTP_AES128_CM_SHA1_80").build());
             DtlsContext server = provider.newContext(TckPki.get().serverConfig().protocolVersions(version)
                     .srtpProfiles("SRTP_AES128_CM_SHA1_32", "SRTP_AES128_CM_SHA1_80").build());
             InMemoryHandshake h = InMemoryHandshake.run(client, server)) {
            assertThat(h.client().state()).as("%s", h.clientEvents().failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(h.serverEvents().established().join().srtpProfile()).contains("SRTP_AES128_CM_SHA1_32");
            assertThat(h.clientEvents().established().join().srtpProfile()).contains("SRTP_AES128_CM_SHA1_32");
        }
    }
}
