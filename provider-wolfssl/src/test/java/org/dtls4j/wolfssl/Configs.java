package org.dtls4j.wolfssl;

import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.tck.TckPki;

/**
 * Configurations the provider's own tests share, over the TCK's certificates; sessions are
 * made for {@link org.dtls4j.tck.SessionPair}'s addresses.
 */
final class Configs {

    private Configs() {
    }

    static DtlsConfig.Builder client() {
        return DtlsConfig.builder().retransmission(Duration.ofMillis(50), Duration.ofMillis(400))
                .trustedCertificates(TckPki.get().caCertificate());
    }

    static DtlsConfig.Builder server() {
        return DtlsConfig.builder().retransmission(Duration.ofMillis(50), Duration.ofMillis(400))
                .credentials(TckPki.get().ecServer());
    }
}
