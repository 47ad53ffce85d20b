package org.dtls4j;

/**
 * A wait ran out (for example a receive with a timeout). Nothing failed: the session or
 * connection is still usable.
 *
 * @since 0.1
 */
public class DtlsTimeoutException extends DtlsException {

    /**
     * An exception whose message says what did not arrive in time.
     *
     * @param message what did not arrive, and within how long
     */
    public DtlsTimeoutException(String message) {
        super(message);
    }
}
