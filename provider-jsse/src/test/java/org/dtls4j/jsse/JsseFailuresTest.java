package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.spi.PeerCertificates;
import org.junit.jupiter.api.Test;

class JsseFailuresTest {

    @Test
    void aReceivedAlertIsThePeersAndNamedByJsse() {
        DtlsAlertException e = JsseFailures.toAlertException(
                new SSLHandshakeException("Received fatal alert: bad_certificate"), -1);
        assertThat(e.origin()).isEqualTo(DtlsAlertException.Origin.PEER);
        assertThat(e.alert()).isEqualTo(DtlsAlert.BAD_CERTIFICATE);
        assertThat(JsseFailures.toAlertException(new SSLException("Received fatal alert: no_application_protocol"), 80)
                .alert()).as("what was received wins over anything sent").isEqualTo(DtlsAlert.NO_APPLICATION_PROTOCOL);
        assertThat(JsseFailures.toAlertException(new SSLException("Received fatal alert: made_up"), -1).alert())
                .isEqualTo(DtlsAlert.UNKNOWN);
    }

    @Test
    void aPlaintextFatalAlertGivenToJsseBeforeItFailedIsThePeersWhateverJsseSays() {
        DtlsAlertException e = JsseFailures.toAlertException(new SSLException("internal error"), -1,
                DtlsAlert.USER_CANCELED.code());
        assertThat(e.origin()).isEqualTo(DtlsAlertException.Origin.PEER);
        assertThat(e.alert()).isEqualTo(DtlsAlert.USER_CANCELED);
        assertThat(JsseFailures.toAlertException(new SSLException("boom"), 80, -1).origin())
                .as("without one, the old order").isEqualTo(DtlsAlertException.Origin.LOCAL);
    }

    @Test
    void aSentAlertIsTheOneOnTheWire() {
        PeerCertificates.RefusedException refused = new PeerCertificates.RefusedException(
                DtlsAlert.UNKNOWN_CA, "no anchor", null);
        SSLHandshakeException jsse = new SSLHandshakeException("no anchor");
        jsse.initCause(refused);
        DtlsAlertException e = JsseFailures.toAlertException(jsse, 46);
        assertThat(e.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
        assertThat(e.alert()).as("JSSE sent certificate_unknown, whatever was asked").isEqualTo(DtlsAlert.CERTIFICATE_UNKNOWN);
        assertThat(e).hasMessageContaining("no anchor").hasCause(jsse);
    }

    @Test
    void withoutAPlaintextAlertTheRefusalsAlertIsReported() {
        CertificateException veto = new CertificateException("vetoed");
        PeerCertificates.RefusedException refused = PeerTrustManager.steerJsseAlert(
                new PeerCertificates.RefusedException(DtlsAlert.BAD_CERTIFICATE, "the verifier refused", veto));
        SSLHandshakeException jsse = new SSLHandshakeException("the verifier refused");
        jsse.initCause(refused);
        DtlsAlertException e = JsseFailures.toAlertException(jsse, -1);
        assertThat(e.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
        assertThat(e.alert()).isEqualTo(DtlsAlert.BAD_CERTIFICATE);
        assertThat(e).hasRootCause(veto);
    }

    @Test
    void otherwiseTheExceptionTypeDecides() {
        assertThat(JsseFailures.toAlertException(new SSLHandshakeException("no cipher suites in common"), -1).alert())
                .isEqualTo(DtlsAlert.HANDSHAKE_FAILURE);
        assertThat(JsseFailures.toAlertException(new SSLException("boom"), -1).alert())
                .isEqualTo(DtlsAlert.INTERNAL_ERROR);
        assertThat(JsseFailures.toAlertException(new SSLException((String) null), -1).getMessage()).isNotEmpty();
    }
}
