package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.dtls4j.spi.ClientHelloReassembly;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientHelloReassemblyTest {

    /** A real second ClientHello from a JSSE client, unfragmented: message_seq 1, with a cookie. */
    private static byte[] whole;

    @BeforeAll
    static void captureClientHello() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            p.awaitEstablished();
            whole = p.wire(Side.CLIENT).get(1).bytes();
        }
        assertThat(whole[13]).isEqualTo((byte) 1);
        assertThat(whole[18]).as("message_seq 1").isEqualTo((byte) 1);
    }

    @Test
    void fragmentsInAnyOrderWithOverlapsAndDuplicatesMakeTheWholeRecord() {
        int length = messageLength();
        ByteBuffer first = fragments(7, new int[] {0, 100});
        ClientHelloReassembly r = ClientHelloReassembly.start(first).orElseThrow();
        assertThat(r).isNotNull();
        assertThat(r.add(fragments(9, new int[] {150, length - 150}))).isTrue();
        assertThat(r.isComplete()).isFalse();
        assertThat(r.add(first)).isTrue();
        assertThat(r.add(first)).isTrue();
        assertThat(r.isComplete()).as("100 to 150 is missing").isFalse();
        assertThat(r.add(fragments(8, new int[] {90, 70}))).isTrue();
        assertThat(r.isComplete()).isTrue();

        byte[] expected = whole.clone();
        DtlsRecords.putSequenceNumber(ByteBuffer.wrap(expected), 0, 7);
        assertThat(bytes(r.record())).as("the first fragment's record header, one unfragmented message")
                .isEqualTo(expected);
        assertThat(ClientHelloRewriter.withoutCookie(r.record())).as("and it can be rewritten").isNotNull();
    }

    @Test
    void severalFragmentsInOneRecordAndSeveralRecordsInOneDatagram() {
        int length = messageLength();
        ByteBuffer oneRecord = fragments(3, new int[] {0, 50, 50, 50});
        ByteBuffer two = concat(oneRecord, fragments(4, new int[] {100, length - 100}));
        ClientHelloReassembly r = ClientHelloReassembly.start(two).orElseThrow();
        assertThat(r.add(two)).isTrue();
        assertThat(r.isComplete()).isTrue();
        assertThat(two.position()).as("not consumed").isZero();
    }

    @Test
    void onlyFragmentsOfTheSameClientHelloCount() {
        int length = messageLength();
        ByteBuffer first = fragments(2, new int[] {0, 10});
        ClientHelloReassembly r = ClientHelloReassembly.start(first).orElseThrow();
        assertThat(r.isComplete()).as("start does not add").isFalse();
        assertThat(r.add(first)).isTrue();

        ByteBuffer otherSeq = fragments(3, new int[] {10, length - 10});
        otherSeq.put(18, (byte) 2);
        ByteBuffer otherLength = fragments(3, new int[] {10, length - 10});
        otherLength.put(16, (byte) (otherLength.get(16) + 1));
        ByteBuffer otherType = fragments(3, new int[] {10, length - 10});
        otherType.put(13, (byte) 2);
        ByteBuffer epoch1 = fragments(3, new int[] {10, length - 10});
        epoch1.put(4, (byte) 1);
        ByteBuffer pastTheEnd = fragments(3, new int[] {10, length - 10});
        pastTheEnd.put(21, (byte) 11); // fragment_offset 11: one byte past the message
        for (ByteBuffer b : new ByteBuffer[] {otherSeq, otherLength, otherType, epoch1, pastTheEnd}) {
            assertThat(r.add(b)).isFalse();
        }
        assertThat(r.isComplete()).isFalse();
        assertThat(r.add(fragments(3, new int[] {10, length - 10}))).isTrue();
        assertThat(r.isComplete()).isTrue();
    }

    @Test
    void startsOnlyWithTheFirstFragmentOfAClientHelloThatFollowsAHelloVerifyRequest() {
        int length = messageLength();
        assertThat(ClientHelloReassembly.start(fragments(1, new int[] {0, length}))).as("unfragmented").isPresent();
        assertThat(ClientHelloReassembly.start(fragments(1, new int[] {10, 20}))).as("a later fragment").isEmpty();
        ByteBuffer seqZero = fragments(1, new int[] {0, 20});
        seqZero.put(18, (byte) 0);
        assertThat(ClientHelloReassembly.start(seqZero)).as("message_seq 0: JSSE reads it itself").isEmpty();
        ByteBuffer serverHello = fragments(1, new int[] {0, 20});
        serverHello.put(13, (byte) 2);
        assertThat(ClientHelloReassembly.start(serverHello)).isEmpty();
        ByteBuffer huge = fragments(1, new int[] {0, 20});
        huge.put(14, (byte) 1); // message length above 2^16: more than one record can hold
        assertThat(ClientHelloReassembly.start(huge)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static int messageLength() {
        return ((whole[14] & 0xff) << 16) | ((whole[15] & 0xff) << 8) | (whole[16] & 0xff);
    }

    /** One record with record sequence {@code seq} holding fragments of {@link #whole}: (offset, length) pairs. */
    private static ByteBuffer fragments(long seq, int[] offsetsAndLengths) {
        int size = 0;
        for (int i = 1; i < offsetsAndLengths.length; i += 2) {
            size += 12 + offsetsAndLengths[i];
        }
        ByteBuffer b = ByteBuffer.allocate(13 + size);
        b.put(whole, 0, 11).putShort(11, (short) size).position(13);
        DtlsRecords.putSequenceNumber(b, 0, seq);
        for (int i = 0; i < offsetsAndLengths.length; i += 2) {
            int offset = offsetsAndLengths[i];
            int length = offsetsAndLengths[i + 1];
            b.put(whole, 13, 6); // type, length, message_seq
            b.put((byte) (offset >>> 16)).putShort((short) offset);
            b.put((byte) (length >>> 16)).putShort((short) length);
            b.put(whole, 25 + offset, length);
        }
        return b.flip();
    }

    private static ByteBuffer concat(ByteBuffer a, ByteBuffer b) {
        return ByteBuffer.allocate(a.remaining() + b.remaining()).put(a.duplicate()).put(b.duplicate()).flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void theFixtureIsAWholeClientHello() {
        assertThat(Arrays.copyOfRange(whole, 19, 25)).as("offset 0, fragment_length = length")
                .isEqualTo(new byte[] {0, 0, 0, whole[14], whole[15], whole[16]});
    }
}
