package org.dtls4j;

/**
 * An application record was larger than one datagram can carry. Nothing was sent and
 * the session is intact; split the data, or raise {@link DtlsConfig#maxDatagramSize()}.
 *
 * @since 0.1
 */
public class DtlsRecordTooLargeException extends DtlsException {

    private final int size;
    private final int maximum;

    public DtlsRecordTooLargeException(int size, int maximum) {
        super("application record of " + size + " bytes exceeds the maximum of " + maximum
                + " bytes per record; split it or raise DtlsConfig.Builder.maxDatagramSize");
        this.size = size;
        this.maximum = maximum;
    }

    /** The size that was refused. */
    public int size() {
        return size;
    }

    /** The largest application record the session accepts. */
    public int maximum() {
        return maximum;
    }
}
