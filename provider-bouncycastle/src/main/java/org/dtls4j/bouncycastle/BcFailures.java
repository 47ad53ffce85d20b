package org.dtls4j.bouncycastle;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsHandshakeTimeoutException;
import org.dtls4j.DtlsPeerUnresponsiveException;
import org.dtls4j.DtlsSessionState;

/**
 * A BouncyCastle session's failure mapping: the alerts BouncyCastle reports while it runs
 * (raised here, received from the peer, close_notify), and what it throws, turned into
 * dtls4j's exceptions with the alert and who sent it.
 *
 * <p>Thread-safe: alerts are recorded on the handshake thread or the caller's and read
 * when BouncyCastle throws; the first fatal alert of each kind wins.
 */
final class BcFailures {

    private volatile int raisedAlert = -1;
    private volatile String raisedMessage = "";
    private volatile int receivedAlert = -1;
    private volatile boolean peerClosed;

    void raised(short level, short description, String message, Throwable cause) {
        if (level == AlertLevel.fatal && raisedAlert < 0) {
            raisedMessage = message != null ? message : cause != null ? String.valueOf(cause.getMessage()) : "";
            raisedAlert = description;
        }
    }

    void received(short level, short description) {
        if (description == AlertDescription.close_notify) {
            peerClosed = true;
        } else if (level == AlertLevel.fatal && receivedAlert < 0) {
            receivedAlert = description;
        }
    }

    /** Whether the peer sent close_notify. */
    boolean peerClosed() {
        return peerClosed;
    }

    /** What BouncyCastle threw in a session in {@code state}, in dtls4j's terms. */
    DtlsException failure(Throwable e, DtlsSessionState state, DtlsConfig config) {
        if (e instanceof TlsTimeoutException && state == DtlsSessionState.HANDSHAKING) {
            return new DtlsHandshakeTimeoutException(config.handshakeTimeout());
        }
        if (e instanceof TlsTimeoutException && state == DtlsSessionState.ESTABLISHED) {
            return new DtlsPeerUnresponsiveException("the peer did not answer a heartbeat request within "
                    + config.heartbeatTimeout().toMillis() + " ms (after " + config.heartbeatInterval().toMillis()
                    + " ms of silence)");
        }
        int received = receivedAlert;
        if (received >= 0 || e instanceof TlsFatalAlertReceived) {
            int code = received >= 0 ? received : ((TlsFatalAlertReceived) e).getAlertDescription();
            return new DtlsAlertException(DtlsAlert.ofCode(code), DtlsAlertException.Origin.PEER,
                    AlertDescription.getText((short) code), e);
        }
        int raised = raisedAlert;
        if (raised >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(raised), DtlsAlertException.Origin.LOCAL, raisedMessage, e);
        }
        if (e instanceof TlsFatalAlert f) {
            return new DtlsAlertException(DtlsAlert.ofCode(f.getAlertDescription()), DtlsAlertException.Origin.LOCAL,
                    String.valueOf(f.getMessage()), e);
        }
        return new DtlsAlertException(DtlsAlert.INTERNAL_ERROR, DtlsAlertException.Origin.LOCAL, String.valueOf(e), e);
    }
}
