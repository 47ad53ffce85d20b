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

    /** The alert's description. */
    private final DtlsAlert alert;
    /** Which side sent the alert. */
    private final Origin origin;

    /**
     * An alert failure of the given {@code origin}; {@code detail} says what the backend reported.
     *
     * @param alert the alert's description
     * @param origin whether this side or the peer sent it
     * @param detail what the backend reported, for the message
     */
    public DtlsAlertException(DtlsAlert alert, Origin origin, String detail) {
        this(alert, origin, detail, null);
    }

    /**
     * An alert failure of the given {@code origin}; {@code detail} says what the backend reported
     * and {@code cause} is its exception.
     *
     * @param alert the alert's description
     * @param origin whether this side or the peer sent it
     * @param detail what the backend reported, for the message
     * @param cause the backend's exception
     */
    public DtlsAlertException(DtlsAlert alert, Origin origin, String detail, Throwable cause) {
        super((origin == Origin.LOCAL ? "sent fatal alert " : "received fatal alert ") + alert
                + (detail.isEmpty() ? "" : ": " + detail), cause);
        this.alert = alert;
        this.origin = origin;
    }

    /** {@return the alert's description} */
    public DtlsAlert alert() {
        return alert;
    }

    /** {@return whether this side or the peer sent the alert} */
    public Origin origin() {
        return origin;
    }
}
