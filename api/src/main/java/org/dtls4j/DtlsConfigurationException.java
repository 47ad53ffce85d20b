package org.dtls4j;

/**
 * A configuration that cannot work: thrown when it is built (by
 * {@link DtlsConfig.Builder#build()}, a context factory, or the registry), never later.
 * The message says what is wrong and names the fix.
 *
 * @since 0.1
 */
public class DtlsConfigurationException extends DtlsException {

    public DtlsConfigurationException(String message) {
        super(message);
    }

    public DtlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
