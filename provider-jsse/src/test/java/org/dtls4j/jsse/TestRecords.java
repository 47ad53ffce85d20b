package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;

/** Records for tests, and the framing check the JSSE session applies to every datagram. */
final class TestRecords {

    private TestRecords() {
    }

    /** A record header (and zero body) of the given type, version, epoch, sequence and length. */
    static byte[] record(int type, int version, int epoch, long sequence, int length) {
        return DtlsRecords.putHeader(ByteBuffer.allocate(13 + length), type, version, epoch, sequence, length).array();
    }

    /** Whether the JSSE session would take the datagram to its engine rather than drop it as malformed. */
    static boolean isWellFormed(ByteBuffer datagram) {
        return RecordReader.wellFormed(new DtlsRecordCursor(), datagram);
    }
}
