package org.dtls4j;

/**
 * A wait ran out (for example a receive with a timeout). Nothing failed: the session or
 * connection is still usable.
 *
 * @since 0.1
 */
public class DtlsTimeoutException extends DtlsException {

    public DtlsTimeoutException(String message) {
        super(message);
    }
}
