package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Which plaintext records the screen stops, and that it reads nothing else. */
class PlaintextScreenTest {

    private static byte[] record(int type, int epoch, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(13 + body.length);
        DtlsRecords.putHeader(b, type, 0xfefd, epoch, 7, body.length);
        b.position(13);
        b.put(body);
        return b.array();
    }

    private static byte[] fragment(int length, int offset, int fragmentLength) {
        ByteBuffer b = ByteBuffer.allocate(12 + fragmentLength);
        b.put((byte) 11).put((byte) (length >> 16)).putShort((short) length).putShort((short) 2)
                .put((byte) (offset >> 16)).putShort((short) offset)
                .put((byte) (fragmentLength >> 16)).putShort((short) fragmentLength);
        return b.array();
    }

    private static boolean passes(byte[]... records) {
        ByteBuffer b = ByteBuffer.wrap(DtlsRecordsTest.concat(records));
        boolean passes = PlaintextScreen.passes(b);
        assertThat(b.position()).as("the screen moves nothing").isZero();
        return passes;
    }

    @Test
    void realHandshakeFragmentsPassAndLyingOnesDoNot() {
        byte[] two = DtlsRecordsTest.concat(fragment(100, 0, 60), fragment(100, 40, 60));
        assertThat(passes(record(22, 0, two))).as("overlapping fragments within their message").isTrue();
        assertThat(passes(record(22, 0, fragment(0xffffff, 0, 10)))).as("a 16 MB claim").isFalse();
        assertThat(passes(record(22, 0, fragment(PlaintextScreen.MAX_HANDSHAKE_MESSAGE, 0, 10)))).isTrue();
        assertThat(passes(record(22, 0, fragment(100, 200, 10)))).as("an offset past the end").isFalse();
        assertThat(passes(record(22, 0, fragment(100, 95, 10)))).as("a fragment running past the end").isFalse();
        byte[] cut = fragment(100, 0, 10);
        assertThat(passes(record(22, 0, java.util.Arrays.copyOf(cut, cut.length - 1)))).as("a fragment cut short").isFalse();
        assertThat(passes(record(22, 0, new byte[5]))).as("a header cut short").isFalse();
    }

    @Test
    void onlyTheOneByteChangeCipherSpecPasses() {
        assertThat(passes(record(20, 0, new byte[] {1}))).isTrue();
        assertThat(passes(record(20, 0, new byte[] {2}))).isFalse();
        assertThat(passes(record(20, 0, new byte[] {1, 1}))).isFalse();
        assertThat(passes(record(20, 0, new byte[0]))).isFalse();
    }

    @Test
    void fatalAlertsAndCloseNotifyPassOtherWarningsDoNot() {
        assertThat(passes(record(21, 0, new byte[] {2, 40}))).isTrue();
        assertThat(passes(record(21, 0, new byte[] {1, 0}))).as("close_notify").isTrue();
        assertThat(passes(record(21, 0, new byte[] {1, 90}))).as("user_canceled as a warning").isFalse();
        assertThat(passes(record(21, 0, new byte[] {3, 40}))).as("no such level").isFalse();
        assertThat(passes(record(21, 0, new byte[] {2}))).as("cut short").isFalse();
    }

    @Test
    void oneBadRecordAmongGoodOnesStopsTheDatagram() {
        assertThat(passes(record(22, 0, fragment(100, 0, 10)), record(20, 0, new byte[] {2}))).isFalse();
        assertThat(passes(record(22, 0, fragment(100, 0, 10)), record(20, 0, new byte[] {1}))).isTrue();
    }

    @Test
    void ciphertextAndWhatDoesNotFrameAreLeftToTheBackend() {
        assertThat(passes(record(20, 1, new byte[] {9, 9}))).as("epoch 1 is encrypted").isTrue();
        assertThat(passes(record(21, 1, new byte[] {1, 90, 3}))).isTrue();
        assertThat(passes(new byte[] {0x2c, 0, 1, 0, 3, 1, 2, 3})).as("a DTLS 1.3 unified header").isTrue();
        byte[] runsPast = record(20, 0, new byte[] {2});
        runsPast[12] = 50;
        assertThat(passes(runsPast)).as("a record that does not frame").isTrue();
        assertThat(passes(new byte[0])).isTrue();
    }

    @Test
    void duringTheHandshakeNoRecordComesFromAnEpochThePeerIsNotInYet() {
        byte[] ccs = record(20, 0, new byte[] {1});
        byte[] finished = record(22, 1, new byte[40]);
        byte[] hello = record(22, 0, fragment(100, 0, 10));
        assertThat(PlaintextScreen.epochsDuringHandshake(ByteBuffer.wrap(hello), false)).isEqualTo(PlaintextScreen.SAME_EPOCH);
        assertThat(PlaintextScreen.epochsDuringHandshake(ByteBuffer.wrap(finished), false))
                .as("a Finished before the ChangeCipherSpec").isEqualTo(PlaintextScreen.TOO_EARLY);
        assertThat(PlaintextScreen.epochsDuringHandshake(ByteBuffer.wrap(DtlsRecordsTest.concat(finished, ccs)), false))
                .as("a Finished that overtook its ChangeCipherSpec in one datagram").isEqualTo(PlaintextScreen.TOO_EARLY);
        assertThat(PlaintextScreen.epochsDuringHandshake(ByteBuffer.wrap(DtlsRecordsTest.concat(hello, ccs, finished)), false))
                .isEqualTo(PlaintextScreen.CHANGES_CIPHER);
        assertThat(PlaintextScreen.epochsDuringHandshake(ByteBuffer.wrap(finished), true)).isEqualTo(PlaintextScreen.SAME_EPOCH);
        assertThat(PlaintextScreen.epochsDuringHandshake(ByteBuffer.wrap(record(23, 2, new byte[40])), true))
                .as("epoch 2 never comes in a first handshake").isEqualTo(PlaintextScreen.TOO_EARLY);
    }
}
