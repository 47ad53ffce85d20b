package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsException;
import org.dtls4j.spi.PeerCertificates;

/**
 * A wolfSSL session's failure mapping: the last fatal alert wolfSSL sent or received
 * ({@code wolfSSL_get_alert_history}) and a certificate refusal of ours, turned into a
 * {@link DtlsAlertException} with the alert and who sent it.
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}.
 */
final class Failures {

    private static final int FATAL = 2;
    /** error-ssl.h: the PSK callback gave no key. */
    private static final int PSK_KEY_ERROR = -333;
    private PeerCertificates.RefusedException refusal;

    void refused(PeerCertificates.RefusedException e) {
        refusal = e;
    }

    /**
     * The alert to send for a handshake failure that wolfSSL does not announce: an unknown PSK
     * identity ({@code PSK_KEY_ERROR}: the server's callback found no key) fails a wolfSSL
     * server silently, and the client would only time out; RFC 4279 section 2 says
     * {@code unknown_psk_identity}. Any other handshake failure that neither side announced
     * (a server that finds no signature algorithm the client offered for its key fails
     * silently too) gets {@code handshake_failure} (RFC 5246 section 7.2.2). Empty when wolfSSL
     * sent a fatal alert or received one.
     */
    java.util.Optional<DtlsAlert> unsentAlert(Pointer ssl, int error) {
        int[] h = new int[4];
        LibWolfSsl.wolfSSL_get_alert_history(ssl, h);
        if (h[3] == FATAL || h[1] == FATAL) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(error == PSK_KEY_ERROR ? DtlsAlert.UNKNOWN_PSK_IDENTITY : DtlsAlert.HANDSHAKE_FAILURE);
    }

    /** Why wolfSSL failed with {@code error} ({@code wolfSSL_get_error}'s detail code). */
    DtlsException failure(Pointer ssl, int error) {
        int[] h = new int[4];
        LibWolfSsl.wolfSSL_get_alert_history(ssl, h);
        String detail = reason(error) + (refusal != null ? " (" + refusal.getMessage() + ")" : "");
        if (refusal != null) {
            return new DtlsAlertException(refusal.alert(), DtlsAlertException.Origin.LOCAL, detail, refusal);
        }
        if (h[3] == FATAL) {
            return new DtlsAlertException(DtlsAlert.ofCode(h[2]), DtlsAlertException.Origin.LOCAL, detail);
        }
        if (h[1] == FATAL) {
            return new DtlsAlertException(DtlsAlert.ofCode(h[0]), DtlsAlertException.Origin.PEER, detail);
        }
        return new DtlsAlertException(DtlsAlert.INTERNAL_ERROR, DtlsAlertException.Origin.LOCAL,
                "wolfSSL failed without an alert: " + detail);
    }

    /** wolfSSL's text for an error code. */
    static String reason(int error) {
        Pointer p = LibWolfSsl.wolfSSL_ERR_reason_error_string(error);
        return "wolfSSL error " + error + (p == null ? "" : " (" + p.getString(0) + ")");
    }
}
