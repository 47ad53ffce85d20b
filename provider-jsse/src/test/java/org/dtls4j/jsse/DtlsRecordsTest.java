package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DtlsRecordsTest {

    /** A record header (and zero body) of the given type, version, epoch, sequence and length. */
    static byte[] record(int type, int version, int epoch, long sequence, int length) {
        ByteBuffer b = ByteBuffer.allocate(13 + length);
        b.put((byte) type).putShort((short) version).putShort((short) epoch);
        b.putShort((short) (sequence >>> 32)).putInt((int) sequence).putShort((short) length);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] p : parts) {
            int at = out.length;
            out = Arrays.copyOf(out, at + p.length);
            System.arraycopy(p, 0, out, at, p.length);
        }
        return out;
    }

    @Test
    void wellFormedDatagramsOfOneOrMoreRecordsPass() {
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(23, 0xfefd, 1, 7, 40)))).isTrue();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(22, 0xfeff, 0, 0, 0)))).isTrue();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(
                concat(record(22, 0xfefd, 0, 3, 12), record(20, 0xfefd, 0, 4, 1), record(22, 0xfefd, 1, 0, 40)))))
                .isTrue();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(25, 0xfefd, 1, 7, 40)))).as("tls12_cid").isTrue();
    }

    @Test
    void badFramingFails() {
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.allocate(0))).as("empty").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(new byte[12]))).as("short header").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(19, 0xfefd, 0, 0, 0)))).as("type 19").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(26, 0xfefd, 0, 0, 0)))).as("type 26").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(22, 0x0303, 0, 0, 0)))).as("TLS 1.2").isFalse();
        byte[] overrun = record(22, 0xfefd, 0, 0, 10);
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(overrun, 0, overrun.length - 1))).as("overrun").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(concat(record(23, 0xfefd, 1, 1, 20), new byte[] {23}))))
                .as("trailing byte").isFalse();
        assertThat(DtlsRecords.isWellFormed(ByteBuffer.wrap(record(23, 0xfefd, 1, 1, DtlsRecords.MAX_FRAGMENT_LENGTH + 1))))
                .as("longer than 2^14 + 2048").isFalse();
    }

    @Test
    void checkingReadsFromPositionToLimitAndMovesNothing() {
        byte[] good = record(23, 0xfefd, 1, 1, 4);
        byte[] framed = concat(new byte[] {1, 2, 3}, good, new byte[] {9});
        ByteBuffer b = ByteBuffer.wrap(framed, 3, good.length);
        assertThat(DtlsRecords.isWellFormed(b)).isTrue();
        assertThat(b.position()).isEqualTo(3);
        assertThat(b.limit()).isEqualTo(3 + good.length);
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
        assertThat(DtlsRecords.epoch(b, 0)).isEqualTo(0x0102);
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
        byte[] hvr = StatelessListener.helloVerifyRequest(0, 0, new byte[] {1, 2, 3});
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(hvr), 0)).isEqualTo(3);
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(record(22, 0xfefd, 0, 0, 11)), 0))
                .as("too short for a handshake header").isEqualTo(-1);
        assertThat(DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(record(22, 0xfefd, 1, 0, 40)), 0))
                .as("encrypted").isEqualTo(-1);
    }
}
