package org.dtls4j;

/**
 * The root of every failure dtls4j reports: one hierarchy on every backend.
 *
 * <table>
 *   <caption>OpenSSL's {@code SSL_get_error} results and their dtls4j form</caption>
 *   <tr><th>OpenSSL</th><th>dtls4j</th></tr>
 *   <tr><td>{@code SSL_ERROR_ZERO_RETURN}</td><td>end of stream; then {@link DtlsClosedException}</td></tr>
 *   <tr><td>{@code SSL_ERROR_SSL}</td><td>{@link DtlsAlertException} (alert + who sent it)</td></tr>
 *   <tr><td>receive timeout</td><td>{@link DtlsTimeoutException}; the session stays usable</td></tr>
 *   <tr><td>handshake never completes</td><td>{@link DtlsHandshakeTimeoutException}</td></tr>
 *   <tr><td>configuration</td><td>{@link DtlsConfigurationException},
 *       {@link DtlsUnsupportedCapabilityException}</td></tr>
 * </table>
 *
 * <p>It is unchecked so that the sans-IO engine, the builders and the registry share it;
 * socket errors of the UDP transport stay {@link java.io.IOException}s.
 *
 * @since 0.1
 */
public class DtlsException extends RuntimeException {

    /**
     * An exception that says what went wrong in {@code message}.
     *
     * @param message what went wrong
     */
    public DtlsException(String message) {
        super(message);
    }

    /**
     * An exception that says what went wrong in {@code message}, caused by {@code cause}.
     *
     * @param message what went wrong
     * @param cause the failure behind it
     */
    public DtlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
