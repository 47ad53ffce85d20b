package org.dtls4j.openssl;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.tck.TckPki;

/** Configurations and addresses the provider's own tests share. */
final class Configs {

    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
    static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

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
