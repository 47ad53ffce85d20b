package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtlsRecordsTest {

    static byte[] record(int type, int epoch, long sequence, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(DtlsRecords.HEADER + bodyLength);
        b.put((byte) type).putShort((short) 0xfefd).putShort((short) epoch)
                .putShort((short) (sequence >>> 32)).putInt((int) sequence).putShort((short) bodyLength);
        for (int i = 0; i < bodyLength; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** What OpenSslSession does with a drained write BIO: one datagram per record. */
    static List<Integer> split(byte[] drained) {
        ByteBuffer view = ByteBuffer.wrap(drained).asReadOnlyBuffer();
        List<Integer> lengths = new ArrayList<>();
        for (int at = 0; at < drained.length; ) {
            view.clear();
            int n = DtlsRecords.recordLength(view, at, drained.length);
            view.position(at).limit(at + n);
            lengths.add(view.remaining());
            at += n;
        }
        return lengths;
    }

    @Test
    void drainedBytesSplitIntoOneRecordPerDatagram() {
        byte[] flight = concat(record(22, 0, 1, 73), record(22, 0, 2, 500), record(20, 0, 3, 1), record(22, 1, 0, 40));
        assertThat(split(flight)).containsExactly(86, 513, 14, 53);
    }

    @Test
    void aTruncatedTailIsEmittedAsItIsRatherThanLost() {
        byte[] flight = concat(record(22, 0, 1, 10), new byte[] {22, (byte) 0xfe, (byte) 0xfd});
        assertThat(split(flight)).containsExactly(23, 3);
    }

    @Test
    void wellFormedDatagramsAreWholeRecordsOfKnownTypesInEpochZeroOrOne() {
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(23, 1, 5, 30)))).isTrue();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(concat(record(22, 0, 1, 3), record(20, 0, 2, 1))))).isTrue();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(new byte[0]))).as("empty").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(new byte[12]))).as("short header").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(99, 0, 1, 3)))).as("unknown type").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(23, 0x1234, 1, 3)))).as("far epoch").isFalse();
        byte[] tls = record(22, 0, 1, 3);
        tls[1] = 3;
        tls[2] = 3;
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(tls))).as("TLS version").isFalse();
        byte[] longer = record(22, 0, 1, 3);
        longer[12] = 9;
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(longer))).as("length past the end").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(concat(record(22, 0, 1, 3), new byte[] {1, 2}))))
                .as("trailing bytes").isFalse();
    }

}
