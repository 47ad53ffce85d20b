package org.dtls4j.openssl;

import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsException;
import org.dtls4j.spi.PeerCertificates;

/**
 * An OpenSSL session's failure mapping: the fatal alerts OpenSSL reports through its info
 * callback, sent or received, and a certificate refusal of ours, turned into a
 * {@link DtlsAlertException} with the alert and who sent it when a call fails.
 *
 * <p>Not thread-safe: OpenSSL's callbacks run on the session's caller's thread.
 */
final class OpenSslFailures {

    private int alertSent = -1;
    private int alertReceived = -1;
    private PeerCertificates.RefusedException refusal;

    void refused(PeerCertificates.RefusedException e) {
        refusal = e;
    }

    void alert(boolean sent, int level, int description) {
        if (level != 2) {
            return; // warnings: close_notify is handled as end of stream
        }
        if (sent) {
            alertSent = description;
        } else {
            alertReceived = description;
        }
    }

    /** Whether this side sent a fatal alert. */
    boolean alertSent() {
        return alertSent >= 0;
    }

    /** What a failed {@code SSL_*} call means, given {@code SSL_get_error}'s answer and the drained error queue. */
    DtlsException failure(int sslError, String errors) {
        String detail = (errors.isEmpty() ? "SSL_get_error " + sslError : errors)
                + (refusal != null ? " (" + refusal.getMessage() + ")" : "");
        if (alertSent >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(alertSent), DtlsAlertException.Origin.LOCAL, detail, refusal);
        }
        if (alertReceived >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(alertReceived), DtlsAlertException.Origin.PEER, detail);
        }
        return new DtlsAlertException(DtlsAlert.INTERNAL_ERROR, DtlsAlertException.Origin.LOCAL,
                "OpenSSL failed without an alert: " + detail);
    }
}
