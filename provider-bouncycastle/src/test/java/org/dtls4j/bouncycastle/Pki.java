package org.dtls4j.bouncycastle;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.tck.TckPki;

/** Configurations over the TCK's certificates, with short timers. */
final class Pki {

    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
    static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    private Pki() {
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
