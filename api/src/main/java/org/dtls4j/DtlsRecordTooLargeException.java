package org.dtls4j;

/**
 * An application record was larger than one datagram can carry. Nothing was sent and
 * the session is intact; split the data, or raise {@link DtlsConfig#maxDatagramSize()}.
 *
 * @since 0.1
 */
public class DtlsRecordTooLargeException extends DtlsException {

    /** The size that was refused. */
    private final int size;
    /** The largest application record the session accepts. */
    private final int maximum;

    /**
     * An exception for a record of {@code size} bytes where at most {@code maximum} fit.
     *
     * @param size the size of the refused record, in bytes
     * @param maximum the largest record the session accepts, in bytes
     */
    public DtlsRecordTooLargeException(int size, int maximum) {
        super("application record of " + size + " bytes exceeds the maximum of " + maximum
                + " bytes per record; split it or raise DtlsConfig.Builder.maxDatagramSize");
        this.size = size;
        this.maximum = maximum;
    }

    /** {@return the size that was refused} */
    public int size() {
        return size;
    }

    /** {@return the largest application record the session accepts} */
    public int maximum() {
        return maximum;
    }
}
