package org.dtls4j;

/**
 * The protocol failed with a fatal alert ({@code SSL_ERROR_SSL}): either this side
 * detected a problem and sent the alert, or the peer sent it.
 *
 * @since 0.1
 */
public class DtlsAlertException extends DtlsException {

    /** Who sent the alert. */
    public enum Origin {
        /** This side detected the failure and sent the alert to the peer. */
        LOCAL,
        /** The peer sent the alert. */
        PEER
    }

    private final DtlsAlert alert;
    private final Origin origin;

    public DtlsAlertException(DtlsAlert alert, Origin origin, String detail) {
        this(alert, origin, detail, null);
    }

    public DtlsAlertException(DtlsAlert alert, Origin origin, String detail, Throwable cause) {
        super((origin == Origin.LOCAL ? "sent fatal alert " : "received fatal alert ") + alert
                + (detail.isEmpty() ? "" : ": " + detail), cause);
        this.alert = alert;
        this.origin = origin;
    }

    /** The alert's description. */
    public DtlsAlert alert() {
        return alert;
    }

    /** Whether this side or the peer sent the alert. */
    public Origin origin() {
        return origin;
    }
}
