package org.dtls4j;

/**
 * A configuration that cannot work: thrown when it is built (by
 * {@link DtlsConfig.Builder#build()}, a context factory, or the registry), never later.
 * The message says what is wrong and names the fix.
 *
 * @since 0.1
 */
public class DtlsConfigurationException extends DtlsException {

    /**
     * An exception whose message says which setting to change and how.
     *
     * @param message the setting to change and how
     */
    public DtlsConfigurationException(String message) {
        super(message);
    }

    /**
     * An exception whose message says which setting to change and how, caused by {@code cause} (for
     * example the I/O error that made a PEM file unreadable).
     *
     * @param message the setting to change and how
     * @param cause the failure behind it
     */
    public DtlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
