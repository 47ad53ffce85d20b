package org.dtls4j;

/**
 * The session or connection is closed (locally, or by the peer's close_notify): no more
 * records can be sent on it.
 *
 * @since 0.1
 */
public class DtlsClosedException extends DtlsException {

    /**
     * An exception whose message says what was closed, and by whom.
     *
     * @param message what was closed, and by whom
     */
    public DtlsClosedException(String message) {
        super(message);
    }
}
