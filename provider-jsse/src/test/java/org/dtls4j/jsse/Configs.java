package org.dtls4j.jsse;

import java.time.Duration;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;
import org.dtls4j.PeerVerification;
import org.dtls4j.tck.TckPki;

/** Test configurations with short timers and the test PKI. */
final class Configs {

    static final Duration INITIAL = Duration.ofMillis(40);
    static final Duration MAX = Duration.ofMillis(300);

    private Configs() {
    }

    static DtlsConfig.Builder fast() {
        return DtlsConfig.builder().retransmission(INITIAL, MAX).handshakeTimeout(Duration.ofSeconds(10));
    }

    static DtlsConfig.Builder client() {
        return fast().trustedCertificates(TckPki.get().caCertificate()).serverName(TckPki.SERVER_NAME);
    }

    static DtlsConfig.Builder server(Credentials credentials) {
        return fast().credentials(credentials).trustedCertificates(TckPki.get().caCertificate());
    }

    static DtlsConfig.Builder server() {
        return server(TckPki.get().ecServer());
    }

    static DtlsConfig.Builder mutualClient() {
        return client().credentials(TckPki.get().ecClient());
    }

    static DtlsConfig.Builder mutualServer() {
        return server().peerVerification(PeerVerification.REQUIRED);
    }
}
