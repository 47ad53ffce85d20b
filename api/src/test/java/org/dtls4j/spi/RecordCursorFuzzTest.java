package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the one record-header parser ({@link DtlsRecordCursor} with
 * {@link DtlsRecords}): DTLS 1.2 records, RFC 9146 tls12_cid records and DTLS 1.3 unified
 * headers. The seeds ({@code RecordCursorFuzzTestInputs/}) are datagrams captured from real
 * handshakes (docs/FUZZING.md says how to regenerate them); each input's first byte is the
 * connection-ID length the cursor is made for, the rest is one datagram.
 *
 * <p>What must hold for any bytes: the walk ends; no exception; every record lies inside the
 * datagram, right after the one before it, with a header of the length its form says; the
 * 13-byte header fields agree with {@link DtlsRecords}; {@link DtlsRecordCursor#count}
 * agrees with the walk; the buffer's position and limit never move.
 *
 * <p>Public for {@code org.dtls4j.ParserFuzzTest}, which fuzzes every parser in one run.
 */
public class RecordCursorFuzzTest {

    /** Room before and after the datagram, so a read out of its bounds would show. */
    private static final int GUARD = 7;

    @FuzzTest
    public void dtls12Records(byte[] input) {
        check(new DtlsRecordCursor(), input.length == 0 ? new byte[0] : Arrays.copyOfRange(input, 1, input.length));
    }

    @FuzzTest
    public void connectionIdRecords(byte[] input) {
        if (input.length == 0) {
            return;
        }
        check(new DtlsRecordCursor(input[0] & 0xff, false), Arrays.copyOfRange(input, 1, input.length));
    }

    @FuzzTest
    public void unifiedHeaders(byte[] input) {
        if (input.length == 0) {
            return;
        }
        check(new DtlsRecordCursor(input[0] & 0xff, true), Arrays.copyOfRange(input, 1, input.length));
    }

    private static void check(DtlsRecordCursor cursor, byte[] datagram) {
        byte[] framed = new byte[GUARD + datagram.length + GUARD];
        System.arraycopy(datagram, 0, framed, GUARD, datagram.length);
        ByteBuffer b = ByteBuffer.wrap(framed, GUARD, datagram.length);
        int from = b.position();
        int to = b.limit();

        int records = 0;
        int expectedStart = from;
        cursor.reset(b);
        while (cursor.next()) {
            records++;
            assertThat(records).as("a record takes at least two bytes").isLessThanOrEqualTo(datagram.length / 2);
            assertThat(cursor.start()).as("records follow each other").isEqualTo(expectedStart);
            assertThat(cursor.end()).as("a record ends inside the datagram").isLessThanOrEqualTo(to);
            assertThat(cursor.fragmentStart()).isEqualTo(cursor.start() + cursor.headerLength());
            assertThat(cursor.end()).isEqualTo(cursor.fragmentStart() + cursor.fragmentLength());
            assertThat(cursor.fragmentLength()).isBetween(0, DtlsRecords.MAX_FRAGMENT_LENGTH);
            int cid = cursor.hasConnectionId() ? cursor.connectionIdLength() : 0;
            if (cursor.isUnified()) {
                int first = cursor.contentType();
                int expected = 1 + ((first & 0x10) != 0 ? cid : 0) + ((first & 0x08) != 0 ? 2 : 1)
                        + ((first & 0x04) != 0 ? 2 : 0);
                assertThat(cursor.headerLength()).as("unified header length").isEqualTo(expected);
                assertThat(cursor.version()).isZero();
                assertThat(cursor.epoch()).isBetween(0, 3);
                assertThat(cursor.sequenceNumber()).isBetween(0L, 0xffffL);
            } else {
                int at = cursor.start();
                assertThat(cursor.contentType()).isEqualTo(DtlsRecords.contentType(b, at)).isLessThan(0x20);
                assertThat(cursor.headerLength()).isEqualTo(DtlsRecords.HEADER_SIZE + cid);
                assertThat(cursor.version()).isEqualTo(DtlsRecords.version(b, at));
                assertThat(cursor.epoch()).isEqualTo(DtlsRecords.epoch(b, at));
                assertThat(cursor.sequenceNumber()).isEqualTo(DtlsRecords.sequenceNumber(b, at));
                assertThat(cursor.hasConnectionId()).isEqualTo(cursor.contentType() == DtlsRecords.TLS12_CID);
                if (cid == 0) { // DtlsRecords reads only the 13-byte header
                    assertThat(DtlsRecords.recordSize(b, at)).isEqualTo(cursor.end() - at);
                    assertThat(DtlsRecords.recordSizeWithin(b, at, to)).isEqualTo(cursor.end() - at);
                }
            }
            if (cursor.hasConnectionId()) {
                assertThat(cursor.connectionIdStart() + cursor.connectionIdLength())
                        .as("the connection ID lies in the header").isLessThanOrEqualTo(cursor.fragmentStart());
            }
            DtlsRecords.plaintextFatalAlert(b, cursor.start());
            DtlsRecords.plaintextHandshakeType(b, cursor.start());
            expectedStart = cursor.end();
        }
        assertThatThrownBy(cursor::start).isInstanceOf(IllegalStateException.class);
        assertThat(cursor.malformed()).as("the walk stops early only on a malformed rest (an empty datagram is one)")
                .isEqualTo(expectedStart < to || from == to);
        assertThat(b.position()).isEqualTo(from);
        assertThat(b.limit()).isEqualTo(to);

        int counted = cursor.reset(b).count(DtlsRecords.ACK, 0xffff);
        assertThat(counted).as("count() agrees with the walk").isEqualTo(cursor.malformed() ? 0 : counted);
        if (expectedStart == to && records > 0) {
            boolean typesInRange = true;
            cursor.reset(b);
            while (cursor.next()) {
                typesInRange &= cursor.isUnified() || (cursor.contentType() >= DtlsRecords.CHANGE_CIPHER_SPEC
                        && cursor.contentType() <= DtlsRecords.ACK);
            }
            assertThat(cursor.reset(b).count(DtlsRecords.ACK, 0xffff)).isEqualTo(typesInRange ? records : 0);
        } else {
            assertThat(counted).isZero();
        }
    }
}
