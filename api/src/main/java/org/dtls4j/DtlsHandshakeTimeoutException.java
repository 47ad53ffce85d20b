package org.dtls4j;

import java.time.Duration;

/**
 * The handshake did not complete within the configured total time
 * ({@link DtlsConfig#handshakeTimeout()}). The session has failed and holds no resources.
 *
 * @since 0.1
 */
public class DtlsHandshakeTimeoutException extends DtlsException {

    /** The total handshake time that ran out. */
    private final Duration timeout;

    /**
     * An exception for a handshake that did not complete within {@code timeout}.
     *
     * @param timeout the total handshake time that ran out
     */
    public DtlsHandshakeTimeoutException(Duration timeout) {
        super("DTLS handshake did not complete within " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** {@return the total handshake time that ran out} */
    public Duration timeout() {
        return timeout;
    }
}
