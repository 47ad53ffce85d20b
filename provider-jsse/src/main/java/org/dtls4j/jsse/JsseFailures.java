package org.dtls4j.jsse;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.spi.PeerCertificates;

/**
 * Turns the {@link SSLException} JSSE throws into the {@link DtlsAlertException} every
 * backend reports: which alert, and who sent it.
 *
 * <p>JSSE does not expose the alert it sent. What it does expose, in order of trust:
 * <ol>
 *   <li>a plaintext fatal alert the session gave JSSE just before it failed: the peer's
 *       (JSSE reports a fatal {@code user_canceled} and some others as its own
 *       {@code internal_error});</li>
 *   <li>a received alert, as the message {@code "Received fatal alert: <name>"};</li>
 *   <li>the alert it sent, when it went out in plaintext (epoch 0, which covers every
 *       certificate refusal): the session reads it from the flushed datagram;</li>
 *   <li>the alert our trust manager asked for, in a {@link PeerCertificates.RefusedException}
 *       in the cause chain (for an alert that went out encrypted);</li>
 *   <li>otherwise the exception type: {@code handshake_failure} during the handshake,
 *       {@code internal_error} after it.</li>
 * </ol>
 * The wire wins over the trust manager's wish because JSSE does not always honour it (a
 * JDK 17 server sends {@code certificate_unknown} for every refused client chain), and a
 * report should say what the peer actually received.
 *
 * <p>Stateless and thread-safe.
 */
final class JsseFailures {

    static final String RECEIVED_PREFIX = "Received fatal alert: ";

    private JsseFailures() {
    }

    /**
     * The failure to report.
     *
     * @param sentAlertCode the description byte of the plaintext alert the session flushed
     *        to the peer, or -1 if none was seen
     */
    static DtlsAlertException toAlertException(SSLException e, int sentAlertCode) {
        return toAlertException(e, sentAlertCode, -1);
    }

    /**
     * The failure to report.
     *
     * @param sentAlertCode the description byte of the plaintext alert the session flushed
     *        to the peer, or -1 if none was seen
     * @param receivedAlertCode the description byte of the plaintext fatal alert the session
     *        last gave JSSE, or -1 if none
     */
    static DtlsAlertException toAlertException(SSLException e, int sentAlertCode, int receivedAlertCode) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (receivedAlertCode >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(receivedAlertCode), DtlsAlertException.Origin.PEER, message, e);
        }
        return fromMessage(e, sentAlertCode);
    }

    private static DtlsAlertException fromMessage(SSLException e, int sentAlertCode) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int received = message.indexOf(RECEIVED_PREFIX);
        if (received >= 0) {
            String name = message.substring(received + RECEIVED_PREFIX.length()).trim();
            int end = name.indexOf(' ');
            DtlsAlert alert = DtlsAlert.ofName(end < 0 ? name : name.substring(0, end));
            return new DtlsAlertException(alert, DtlsAlertException.Origin.PEER, message, e);
        }
        DtlsAlert alert;
        if (sentAlertCode >= 0) {
            alert = DtlsAlert.ofCode(sentAlertCode);
        } else {
            PeerCertificates.RefusedException refused = refusal(e);
            if (refused != null) {
                alert = refused.alert();
            } else {
                alert = e instanceof SSLHandshakeException ? DtlsAlert.HANDSHAKE_FAILURE : DtlsAlert.INTERNAL_ERROR;
            }
        }
        return new DtlsAlertException(alert, DtlsAlertException.Origin.LOCAL, detail(e), e);
    }

    /** The first {@link PeerCertificates.RefusedException} in the cause chain, or null. */
    static PeerCertificates.RefusedException refusal(Throwable t) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof PeerCertificates.RefusedException r) {
                return r;
            }
        }
        return null;
    }

    /** The most telling message in the chain: a refusal's, else JSSE's own. */
    private static String detail(SSLException e) {
        PeerCertificates.RefusedException refused = refusal(e);
        if (refused != null && refused.getMessage() != null) {
            return refused.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
