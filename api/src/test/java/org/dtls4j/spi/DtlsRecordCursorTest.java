package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dtls4j.spi.DtlsRecordsTest.concat;
import static org.dtls4j.spi.DtlsRecordsTest.record;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Framing of DTLS 1.2, RFC 9146 connection-ID and DTLS 1.3 unified-header records; the
 * 1.2 cases moved here from the JSSE, OpenSSL and BouncyCastle providers' own parsers.
 */
class DtlsRecordCursorTest {

    private static final int ANY_TYPE = DtlsRecords.TLS12_CID;
    private static final int ANY_EPOCH = 0xffff;

    private static int count(byte[] datagram) {
        return new DtlsRecordCursor().reset(ByteBuffer.wrap(datagram)).count(ANY_TYPE, ANY_EPOCH);
    }

    /** A tls12_cid record: the 13-byte header with the connection ID before the length. */
    private static byte[] cidRecord(int epoch, long sequence, byte[] cid, int length) {
        ByteBuffer b = ByteBuffer.allocate(13 + cid.length + length);
        b.put((byte) 25).putShort((short) 0xfefd).putShort((short) epoch);
        b.putShort((short) (sequence >>> 32)).putInt((int) sequence).put(cid).putShort((short) length);
        return b.array();
    }

    @Test
    void wellFormedDatagramsOfOneOrMoreRecordsAreCounted() {
        assertThat(count(record(23, 0xfefd, 1, 7, 40))).isEqualTo(1);
        assertThat(count(record(22, 0xfeff, 0, 0, 0))).isEqualTo(1);
        assertThat(count(concat(record(22, 0xfefd, 0, 3, 12), record(20, 0xfefd, 0, 4, 1), record(22, 0xfefd, 1, 0, 40))))
                .isEqualTo(3);
        assertThat(count(record(25, 0xfefd, 1, 7, 40))).as("tls12_cid with an empty connection ID").isEqualTo(1);
    }

    @Test
    void eachRecordsFieldsAreReadInTurn() {
        DtlsRecordCursor c = new DtlsRecordCursor().reset(ByteBuffer.wrap(
                concat(record(22, 0xfefd, 0, 3, 12), record(23, 0xfefd, 1, 0x0000_a1b2_c3d4_e5f6L, 40))));
        assertThat(c.next()).isTrue();
        assertThat(c.contentType()).isEqualTo(22);
        assertThat(c.start()).isZero();
        assertThat(c.headerLength()).isEqualTo(13);
        assertThat(c.fragmentStart()).isEqualTo(13);
        assertThat(c.fragmentLength()).isEqualTo(12);
        assertThat(c.end()).isEqualTo(25);
        assertThat(c.sequenceNumber()).isEqualTo(3);
        assertThat(c.hasConnectionId()).isFalse();
        assertThat(c.isUnified()).isFalse();
        assertThat(c.next()).isTrue();
        assertThat(c.start()).isEqualTo(25);
        assertThat(c.version()).isEqualTo(0xfefd);
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(c.sequenceNumber()).isEqualTo(0xa1b2_c3d4_e5f6L);
        assertThat(c.next()).as("the end").isFalse();
        assertThat(c.malformed()).as("the end is not malformed").isFalse();
        assertThatThrownBy(c::start).as("no current record after the end").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badFramingIsMalformed() {
        assertThat(count(new byte[0])).as("empty").isZero();
        assertThat(count(new byte[12])).as("short header").isZero();
        assertThat(count(record(19, 0xfefd, 0, 0, 0))).as("type 19").isZero();
        assertThat(count(record(26, 0xfefd, 0, 0, 0))).as("type 26 above the highest asked for").isZero();
        assertThat(count(record(0x40, 0xfefd, 0, 0, 0))).as("first byte 0x40").isZero();
        assertThat(count(record(22, 0x0303, 0, 0, 0))).as("TLS 1.2").isZero();
        byte[] overrun = record(22, 0xfefd, 0, 0, 10);
        assertThat(new DtlsRecordCursor().reset(ByteBuffer.wrap(overrun, 0, overrun.length - 1)).count(ANY_TYPE, ANY_EPOCH))
                .as("length past the end").isZero();
        assertThat(count(concat(record(23, 0xfefd, 1, 1, 20), new byte[] {23}))).as("trailing byte").isZero();
        assertThat(count(concat(record(23, 0xfefd, 1, 1, 20), new byte[12]))).as("trailing partial header").isZero();
        assertThat(count(record(23, 0xfefd, 1, 1, DtlsRecords.MAX_FRAGMENT_LENGTH + 1))).as("longer than 2^14 + 2048")
                .isZero();
        assertThat(count(record(23, 0xfefd, 1, 1, DtlsRecords.MAX_FRAGMENT_LENGTH))).as("exactly 2^14 + 2048")
                .isEqualTo(1);
    }

    @Test
    void theHighestTypeAndEpochAreTheCallersPolicy() {
        ByteBuffer heartbeat = ByteBuffer.wrap(record(24, 0xfefd, 1, 1, 3));
        DtlsRecordCursor c = new DtlsRecordCursor();
        assertThat(c.reset(heartbeat).count(DtlsRecords.APPLICATION_DATA, 1)).isZero();
        assertThat(c.malformed()).isTrue();
        assertThat(c.reset(heartbeat).count(DtlsRecords.HEARTBEAT, 1)).isEqualTo(1);
        ByteBuffer epochTwo = ByteBuffer.wrap(record(23, 0xfefd, 2, 1, 3));
        assertThat(c.reset(epochTwo).count(DtlsRecords.APPLICATION_DATA, 1)).isZero();
        assertThat(c.reset(epochTwo).count(DtlsRecords.APPLICATION_DATA, 2)).isEqualTo(1);
    }

    @Test
    void readingMovesNothingAndStaysWithinPositionAndLimit() {
        byte[] good = record(23, 0xfefd, 1, 1, 4);
        ByteBuffer b = ByteBuffer.wrap(concat(new byte[] {1, 2, 3}, good, new byte[] {9}), 3, good.length);
        DtlsRecordCursor c = new DtlsRecordCursor().reset(b);
        assertThat(c.count(ANY_TYPE, ANY_EPOCH)).isEqualTo(1);
        assertThat(b.position()).isEqualTo(3);
        assertThat(b.limit()).isEqualTo(3 + good.length);
        assertThat(c.reset(b).next()).isTrue();
        assertThat(c.start()).isEqualTo(3);
    }

    @Test
    void aConnectionIdRecordCarriesItsIdBeforeTheLength() {
        byte[] cid = {7, 7, 7, 7, 7};
        byte[] d = concat(cidRecord(1, 9, cid, 30), record(23, 0xfefd, 1, 10, 2));
        DtlsRecordCursor c = new DtlsRecordCursor(cid.length, false).reset(ByteBuffer.wrap(d));
        assertThat(c.next()).isTrue();
        assertThat(c.contentType()).isEqualTo(DtlsRecords.TLS12_CID);
        assertThat(c.hasConnectionId()).isTrue();
        assertThat(c.connectionIdStart()).isEqualTo(11);
        assertThat(c.headerLength()).isEqualTo(18);
        assertThat(c.fragmentLength()).isEqualTo(30);
        assertThat(c.sequenceNumber()).isEqualTo(9);
        assertThat(c.next()).isTrue();
        assertThat(c.hasConnectionId()).as("a plain record after it").isFalse();
        assertThatThrownBy(c::connectionIdStart).isInstanceOf(IllegalStateException.class);
        assertThat(c.next()).isFalse();
        assertThat(c.malformed()).isFalse();
    }

    @Test
    void aConnectionIdRecordReadWithTheWrongIdLengthIsMalformed() {
        byte[] d = cidRecord(1, 9, new byte[] {7, 7, 7, 7, 7}, 30);
        assertThat(new DtlsRecordCursor(4, false).reset(ByteBuffer.wrap(d)).count(ANY_TYPE, ANY_EPOCH))
                .as("the length is read from inside the ID, and runs past the end").isZero();
        byte[] cut = cidRecord(1, 9, new byte[] {7, 7, 7, 7, 7}, 0);
        assertThat(new DtlsRecordCursor(5, false).reset(ByteBuffer.wrap(cut, 0, 16)).count(ANY_TYPE, ANY_EPOCH))
                .as("header cut inside the ID").isZero();
        assertThatThrownBy(() -> new DtlsRecordCursor(256, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DtlsRecordCursor(-1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unifiedHeadersAreMalformedUnlessAskedFor() {
        byte[] unified = {0x2c, 0x00, 0x05, 0x00, 0x03, 1, 2, 3}; // 001 0 1 1 00: 16-bit seq, length
        assertThat(count(unified)).isZero();
        assertThat(new DtlsRecordCursor(0, true).reset(ByteBuffer.wrap(unified)).count(ANY_TYPE, ANY_EPOCH)).isEqualTo(1);
    }

    @Test
    void aUnifiedHeaderWithSixteenBitSequenceAndLengthIsRead() {
        byte[] d = {0x2e, 0x12, 0x34, 0x00, 0x03, 1, 2, 3, 0x2f, 0x00, 0x01, 0x00, 0x00}; // epoch bits 2, then 3
        DtlsRecordCursor c = new DtlsRecordCursor(0, true).reset(ByteBuffer.wrap(d));
        assertThat(c.next()).isTrue();
        assertThat(c.isUnified()).isTrue();
        assertThat(c.contentType()).isEqualTo(0x2e);
        assertThat(c.version()).isZero();
        assertThat(c.epoch()).isEqualTo(2);
        assertThat(c.sequenceNumber()).isEqualTo(0x1234);
        assertThat(c.headerLength()).isEqualTo(5);
        assertThat(c.fragmentLength()).isEqualTo(3);
        assertThat(c.hasConnectionId()).isFalse();
        assertThat(c.next()).isTrue();
        assertThat(c.epoch()).isEqualTo(3);
        assertThat(c.fragmentLength()).isZero();
        assertThat(c.next()).isFalse();
        assertThat(c.malformed()).isFalse();
    }

    @Test
    void aUnifiedHeaderWithEightBitSequenceAndNoLengthRunsToTheEnd() {
        byte[] d = {0x21, 0x7f, 9, 9, 9, 9}; // 001 0 0 0 01
        DtlsRecordCursor c = new DtlsRecordCursor(0, true).reset(ByteBuffer.wrap(d));
        assertThat(c.next()).isTrue();
        assertThat(c.headerLength()).isEqualTo(2);
        assertThat(c.sequenceNumber()).isEqualTo(0x7f);
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(c.fragmentLength()).isEqualTo(4);
        assertThat(c.end()).isEqualTo(d.length);
        assertThat(c.next()).isFalse();
    }

    @Test
    void aUnifiedHeaderWithTheCidBitCarriesTheIdFirst() {
        byte[] d = {0x3c, 5, 6, 7, 0x00, 0x09, 0x00, 0x02, 1, 2}; // 001 1 1 1 00, CID of 3
        DtlsRecordCursor c = new DtlsRecordCursor(3, true).reset(ByteBuffer.wrap(d));
        assertThat(c.next()).isTrue();
        assertThat(c.hasConnectionId()).isTrue();
        assertThat(c.connectionIdStart()).isEqualTo(1);
        assertThat(c.sequenceNumber()).isEqualTo(9);
        assertThat(c.headerLength()).isEqualTo(1 + 3 + 2 + 2);
        assertThat(c.fragmentLength()).isEqualTo(2);
        assertThat(c.next()).isFalse();
        assertThat(c.malformed()).isFalse();
    }

    @Test
    void everyMalformedUnifiedLengthIsCaught() {
        DtlsRecordCursor c = new DtlsRecordCursor(3, true);
        assertThat(c.reset(ByteBuffer.wrap(new byte[] {0x2c, 0x00, 0x05, 0x00})).count(ANY_TYPE, ANY_EPOCH))
                .as("length field cut short").isZero();
        assertThat(c.reset(ByteBuffer.wrap(new byte[] {0x2c, 0x00, 0x05, 0x00, 0x04, 1, 2, 3})).count(ANY_TYPE, ANY_EPOCH))
                .as("length past the end").isZero();
        assertThat(c.reset(ByteBuffer.wrap(new byte[] {0x28, 0x00})).count(ANY_TYPE, ANY_EPOCH))
                .as("16-bit sequence number cut short").isZero();
        assertThat(c.reset(ByteBuffer.wrap(new byte[] {0x30, 5, 6})).count(ANY_TYPE, ANY_EPOCH))
                .as("connection ID cut short").isZero();
        assertThat(c.reset(ByteBuffer.wrap(new byte[] {0x20})).count(ANY_TYPE, ANY_EPOCH))
                .as("no sequence number").isZero();
        assertThat(c.reset(ByteBuffer.wrap(new byte[] {0x2c, 0x00, 0x05, 0x00, 0x01, 1, 0x17})).count(ANY_TYPE, ANY_EPOCH))
                .as("a stray byte after the last record").isZero();
    }

    @Test
    void aProtectedRecordShorterThanTheSuiteAllowsMakesTheDatagramMalformed() {
        int gcm = DtlsRecords.minimumProtectedLength("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        DtlsRecordCursor c = new DtlsRecordCursor();
        assertThat(c.reset(ByteBuffer.wrap(record(23, 0xfefd, 1, 7, gcm))).count(ANY_TYPE, ANY_EPOCH, gcm)).isEqualTo(1);
        assertThat(c.reset(ByteBuffer.wrap(record(20, 0xfefd, 1, 7, gcm - 1))).count(ANY_TYPE, ANY_EPOCH, gcm)).isZero();
        assertThat(c.malformed()).isTrue();
        assertThat(c.reset(ByteBuffer.wrap(concat(record(22, 0xfefd, 1, 0, 40), record(21, 0xfefd, 1, 1, 2))))
                .count(ANY_TYPE, ANY_EPOCH, gcm)).as("one short record spoils the datagram").isZero();
        assertThat(c.reset(ByteBuffer.wrap(record(21, 0xfefd, 0, 7, 2))).count(ANY_TYPE, ANY_EPOCH, gcm))
                .as("epoch 0 is plaintext: a 2-byte alert is whole").isEqualTo(1);
        assertThat(c.reset(ByteBuffer.wrap(record(20, 0xfefd, 1, 7, 1))).count(ANY_TYPE, ANY_EPOCH))
                .as("no limit unless asked").isEqualTo(1);
    }

    @Test
    void theMinimumProtectedLengthIsTheSuitesNonceAndTag() {
        assertThat(DtlsRecords.minimumProtectedLength("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).isEqualTo(24);
        assertThat(DtlsRecords.minimumProtectedLength("TLS_ECDHE_ECDSA_WITH_AES_128_CCM")).isEqualTo(24);
        assertThat(DtlsRecords.minimumProtectedLength("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")).isEqualTo(16);
        assertThat(DtlsRecords.minimumProtectedLength("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")).isEqualTo(16);
        assertThat(DtlsRecords.minimumProtectedLength("TLS_AES_128_GCM_SHA256")).isEqualTo(17);
        assertThat(DtlsRecords.minimumProtectedLength("TLS_AES_128_CCM_8_SHA256")).isEqualTo(9);
        assertThat(DtlsRecords.minimumProtectedLength("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")).isEqualTo(32);
        assertThat(DtlsRecords.minimumProtectedLength("SOMETHING_NEW")).isZero();
    }
}
