package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import org.dtls4j.DtlsAlert;
import org.dtls4j.spi.PeerCertificates;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

class PeerTrustManagerTest {

    @Test
    void eachCertificateAlertMapsToTheReasonJssesClientTurnsIntoIt() {
        assertThat(PeerTrustManager.reasonFor(DtlsAlert.BAD_CERTIFICATE))
                .isEqualTo(CertPathValidatorException.BasicReason.INVALID_SIGNATURE);
        assertThat(PeerTrustManager.reasonFor(DtlsAlert.CERTIFICATE_EXPIRED))
                .isEqualTo(CertPathValidatorException.BasicReason.EXPIRED);
        assertThat(PeerTrustManager.reasonFor(DtlsAlert.CERTIFICATE_REVOKED))
                .isEqualTo(CertPathValidatorException.BasicReason.REVOKED);
        assertThat(PeerTrustManager.reasonFor(DtlsAlert.UNSUPPORTED_CERTIFICATE))
                .isEqualTo(CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED);
        assertThat(PeerTrustManager.reasonFor(DtlsAlert.UNKNOWN_CA))
                .isEqualTo(CertPathValidatorException.BasicReason.UNSPECIFIED);
    }

    @Test
    void aRefusalKeepsItsAlertAndTheOriginalInTheCauseChain() {
        PeerCertificates.RefusedException original = new PeerCertificates.RefusedException(
                DtlsAlert.CERTIFICATE_EXPIRED, "expired", null);
        PeerCertificates.RefusedException steered = PeerTrustManager.steerJsseAlert(original);
        assertThat(steered.alert()).isEqualTo(DtlsAlert.CERTIFICATE_EXPIRED);
        assertThat(steered.getCause()).isInstanceOfSatisfying(CertPathValidatorException.class,
                c -> assertThat(c.getReason()).isEqualTo(CertPathValidatorException.BasicReason.EXPIRED));
        assertThat(steered.getCause().getCause()).isSameAs(original);
    }

    @Test
    void itValidatesWithTheSharedValidatorAndAcceptsOnlyTheConfiguredIssuers() throws Exception {
        PeerTrustManager tm = new PeerTrustManager(Configs.client().build());
        X509Certificate[] good = TckPki.get().ecServer().certificateChain().toArray(new X509Certificate[0]);
        tm.checkServerTrusted(good, "ECDHE_ECDSA");
        X509Certificate[] rogue = TckPki.get().untrustedServer().certificateChain().toArray(new X509Certificate[0]);
        assertThatThrownBy(() -> tm.checkServerTrusted(rogue, "ECDHE_ECDSA"))
                .isInstanceOfSatisfying(PeerCertificates.RefusedException.class,
                        e -> assertThat(e.alert()).isEqualTo(DtlsAlert.UNKNOWN_CA));
        assertThat(tm.getAcceptedIssuers()).containsExactly(TckPki.get().caCertificate());
        assertThat(new PeerTrustManager(Configs.fast().build()).getAcceptedIssuers())
                .as("not the whole JDK trust store").isEmpty();
    }
}
