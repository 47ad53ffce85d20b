package org.dtls4j.bouncycastle;

import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.tck.TckPki;

/**
 * Configurations over the TCK's certificates, with short timers; sessions are made for
 * {@link org.dtls4j.tck.SessionPair}'s addresses.
 */
final class Configs {

    private Configs() {
    }

    static DtlsConfig.Builder client() {
        return DtlsConfig.builder().trustedCertificates(TckPki.get().caCertificate())
                .retransmission(Duration.ofMillis(100), Duration.ofSeconds(1)).handshakeTimeout(Duration.ofSeconds(20));
    }

    static DtlsConfig.Builder server() {
        return DtlsConfig.builder().credentials(TckPki.get().ecServer())
                .retransmission(Duration.ofMillis(100), Duration.ofSeconds(1)).handshakeTimeout(Duration.ofSeconds(20));
    }
}
