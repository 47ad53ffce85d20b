package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header fields read at an offset; moved here from the JSSE and OpenSSL providers' own copies. */
class DtlsRecordsTest {

    /** A 13-byte header (and a zero body) of the given type, version, epoch, sequence and length. */
    static byte[] record(int type, int version, int epoch, long sequence, int length) {
        return DtlsRecords.putHeader(ByteBuffer.allocate(13 + length), type, version, epoch, sequence, length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void headerFieldsAreRead() {
        ByteBuffer b = ByteBuffer.wrap(record(23, 0xfefd, 0x0102, 0x0000_a1b2_c3d4_e5f6L, 300));
        assertThat(DtlsRecords.contentType(b, 0)).isEqualTo(23);
        assertThat(DtlsRecords.version(b, 0)).isEqualTo(0xfefd);
        assertThat(DtlsRecords.epoch(b, 0)).isEqualTo(0x0102);
        assertThat(DtlsRecords.sequenceNumber(b, 0)).isEqualTo(0xa1b2_c3d4_e5f6L);
        assertThat(DtlsRecords.length(b, 0)).isEqualTo(300);
        assertThat(DtlsRecords.recordSize(b, 0)).isEqualTo(313);
        DtlsRecords.putSequenceNumber(b, 0, 0x0000_0102_0304_0506L);
        assertThat(DtlsRecords.sequenceNumber(b, 0)).isEqualTo(0x0102_0304_0506L);
        assertThat(DtlsRecords.epoch(b, 0)).as("writing the sequence number leaves the epoch").isEqualTo(0x0102);
        assertThat(DtlsRecords.length(b, 0)).as("and the length").isEqualTo(300);
    }

    @Test
    void plaintextAlertsAndHandshakeTypesAreRecognised() {
        byte[] alert = record(21, 0xfefd, 0, 5, 2);
        alert[13] = 2;
        alert[14] = 42;
        assertThat(DtlsRecords.plaintextFatalAlert(ByteBuffer.wrap(alert), 0)).isEqualTo(42);
        alert[13] = 1;
        assertThat(DtlsRecords.plaintextFatalAlert(ByteBuffer.wrap(alert), 0)).as("a warning").isEqualTo(-1);
        byte[] encrypted = record(21, 0xfefd, 1, 5, 26);
        assertThat(DtlsRecords.plaintextFatalAlert(ByteBuffer.wrap(encrypted), 0)).isEqualTo(-1);
        byte[] hvr = record(22, 0xfeff, 0, 0, 12 + 3);
        hvr[13] = 3;
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(hvr), 0)).isEqualTo(3);
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(record(22, 0xfefd, 0, 0, 11)), 0))
                .as("too short for a handshake header").isEqualTo(-1);
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(record(22, 0xfefd, 1, 0, 40)), 0))
                .as("encrypted").isEqualTo(-1);
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(new byte[20]), 0)).as("cut short").isEqualTo(-1);
    }

    /** What the OpenSSL provider does with a drained write BIO: one datagram per record. */
    private static List<Integer> split(byte[] drained) {
        ByteBuffer view = ByteBuffer.wrap(drained).asReadOnlyBuffer();
        List<Integer> lengths = new ArrayList<>();
        for (int at = 0; at < drained.length; ) {
            int n = DtlsRecords.recordSizeWithin(view, at, drained.length);
            lengths.add(n);
            at += n;
        }
        return lengths;
    }

    @Test
    void drainedBytesSplitIntoOneRecordPerDatagram() {
        byte[] flight = concat(record(22, 0xfefd, 0, 1, 73), record(22, 0xfefd, 0, 2, 500), record(20, 0xfefd, 0, 3, 1),
                record(22, 0xfefd, 1, 0, 40));
        assertThat(split(flight)).containsExactly(86, 513, 14, 53);
    }

    @Test
    void aTruncatedTailIsEmittedAsItIsRatherThanLost() {
        byte[] flight = concat(record(22, 0xfefd, 0, 1, 10), new byte[] {22, (byte) 0xfe, (byte) 0xfd});
        assertThat(split(flight)).containsExactly(23, 3);
        byte[] overrun = record(22, 0xfefd, 0, 1, 10);
        assertThat(DtlsRecords.recordSizeWithin(ByteBuffer.wrap(overrun), 0, overrun.length - 4))
                .as("a length past the limit stops at the limit").isEqualTo(overrun.length - 4);
    }
}
