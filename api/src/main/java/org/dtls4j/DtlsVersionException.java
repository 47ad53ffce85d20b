package org.dtls4j;

/**
 * An operation the session's negotiated protocol version does not have, such as a key update
 * ({@link DtlsSession#updateKeys()}), which only DTLS 1.3 has, asked of a DTLS 1.2 session.
 * The session is untouched and stays usable. Immutable and thread-safe.
 *
 * @since 0.1
 */
public class DtlsVersionException extends DtlsException {

    /** The version the session negotiated. */
    private final ProtocolVersion negotiated;
    /** The oldest version that has the operation. */
    private final ProtocolVersion needed;

    /**
     * @param operation what was asked, e.g. {@code "a key update"}
     * @param negotiated the session's version
     * @param needed the oldest version that has the operation
     */
    public DtlsVersionException(String operation, ProtocolVersion negotiated, ProtocolVersion needed) {
        super(operation + " is " + needed.standardName() + " only; this session negotiated " + negotiated.standardName()
                + " (to have it, enable " + needed.standardName() + " on both sides)");
        this.negotiated = negotiated;
        this.needed = needed;
    }

    /** {@return the version the session negotiated} */
    public ProtocolVersion negotiated() {
        return negotiated;
    }

    /** {@return the oldest version that has the operation} */
    public ProtocolVersion needed() {
        return needed;
    }
}
