package org.dtls4j;

/**
 * The life of a {@link DtlsSession}.
 *
 * <pre>
 * NEW --beginHandshake--&gt; HANDSHAKING --&gt; ESTABLISHED --&gt; CLOSED
 *                             |                 |
 *                             +--&gt; FAILED &lt;-----+
 * </pre>
 *
 * @since 0.1
 */
public enum DtlsSessionState {
    /** Created; {@link DtlsSession#beginHandshake()} not yet called. */
    NEW,
    /** The handshake is under way. */
    HANDSHAKING,
    /** The handshake completed; application records flow. */
    ESTABLISHED,
    /** Closed by either side's close_notify or by {@link DtlsSession#close()}. */
    CLOSED,
    /** Failed with an alert or a timeout; see {@link DtlsSessionListener#onFailed}. */
    FAILED;

    /** {@return whether no further records can flow in this state} */
    public boolean isTerminal() {
        return this == CLOSED || this == FAILED;
    }
}
