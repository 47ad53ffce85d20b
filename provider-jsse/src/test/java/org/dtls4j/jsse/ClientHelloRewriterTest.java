package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientHelloRewriterTest {

    /** A real second ClientHello from a JSSE client: message_seq 1, with a cookie. */
    private static byte[] withCookie;
    private static byte[] withoutCookie;

    @BeforeAll
    static void captureClientHellos() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            p.awaitEstablished();
            withoutCookie = p.wire(Side.CLIENT).get(0).bytes();
            withCookie = p.wire(Side.CLIENT).get(1).bytes();
        }
    }

    @Test
    void theCopyHasNoCookieMessageSeqZeroAndTheRecordSequenceOneLower() {
        StatelessListener.ClientHello original = StatelessListener.ClientHello.parse(withCookie);
        assertThat(original.messageSeq()).isEqualTo(1);
        assertThat(original.cookie()).isNotEmpty();

        ByteBuffer in = ByteBuffer.wrap(withCookie);
        ByteBuffer out = ClientHelloRewriter.withoutCookie(in);
        assertThat(in.position()).as("the input is not consumed").isZero();
        assertThat(out).isNotNull();
        byte[] copy = new byte[out.remaining()];
        out.get(copy);

        int cookie = original.cookie().length;
        assertThat(copy).hasSize(withCookie.length - cookie);
        assertThat(TestRecords.isWellFormed(ByteBuffer.wrap(copy))).isTrue();
        StatelessListener.ClientHello rewritten = StatelessListener.ClientHello.parse(copy);
        assertThat(rewritten.messageSeq()).isZero();
        assertThat(rewritten.cookie()).isEmpty();
        assertThat(rewritten.recordSequence()).isEqualTo(original.recordSequence() - 1);
        assertThat(rewritten.bodyWithoutCookie()).isEqualTo(original.bodyWithoutCookie());
        ByteBuffer c = ByteBuffer.wrap(copy);
        int messageLength = u24(c, 14);
        assertThat(messageLength).isEqualTo(copy.length - 25);
        assertThat(u24(c, 19)).as("fragment_offset").isZero();
        assertThat(u24(c, 22)).as("fragment_length").isEqualTo(messageLength);
        // The copy is the client's first ClientHello but for the record sequence number.
        assertThat(Arrays.copyOfRange(copy, 11, copy.length))
                .isEqualTo(Arrays.copyOfRange(withoutCookie, 11, withoutCookie.length));
    }

    @Test
    void onlyAWholeClientHelloWithACookieAndAMessageSeqAboveZeroIsRewritten() {
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(withoutCookie))).as("no cookie").isNull();

        byte[] seqZero = withCookie.clone();
        DtlsRecords.putSequenceNumber(ByteBuffer.wrap(seqZero), 0, 0);
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(seqZero))).as("record sequence 0").isNull();

        byte[] messageSeqZero = withCookie.clone();
        messageSeqZero[17] = 0;
        messageSeqZero[18] = 0;
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(messageSeqZero))).as("message_seq 0").isNull();

        byte[] fragment = withCookie.clone();
        fragment[21] = 1; // fragment_offset 1
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(fragment))).as("a fragment").isNull();

        byte[] epoch1 = withCookie.clone();
        epoch1[4] = 1;
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(epoch1))).as("epoch 1").isNull();

        byte[] serverHello = withCookie.clone();
        serverHello[13] = 2;
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(serverHello))).as("not a ClientHello").isNull();

        byte[] two = Arrays.copyOf(withCookie, withCookie.length * 2);
        System.arraycopy(withCookie, 0, two, withCookie.length, withCookie.length);
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(two))).as("two records").isNull();
    }

    @Test
    void afterASecondExchangeTheEngineIsGivenBothEarlierClientHellosInOrder() {
        byte[] third = withCookie.clone();
        third[18] = 2; // message_seq 2: the client went through two exchanges
        DtlsRecords.putSequenceNumber(ByteBuffer.wrap(third), 0, 5);
        java.util.List<ByteBuffer> earlier = ClientHelloRewriter.earlierHellos(ByteBuffer.wrap(third));
        assertThat(earlier).hasSize(2);
        for (int i = 0; i < 2; i++) {
            byte[] copy = new byte[earlier.get(i).remaining()];
            earlier.get(i).duplicate().get(copy);
            StatelessListener.ClientHello h = StatelessListener.ClientHello.parse(copy);
            assertThat(h.messageSeq()).as("copy %d", i).isEqualTo(i);
            assertThat(h.recordSequence()).as("copy %d", i).isEqualTo(3 + i);
            assertThat(h.cookie()).isEmpty();
        }

        byte[] tooMany = third.clone();
        tooMany[18] = (byte) (ClientHelloRewriter.MAX_EXCHANGES + 1);
        assertThat(ClientHelloRewriter.earlierHellos(ByteBuffer.wrap(tooMany))).as("more exchanges than allowed").isEmpty();
        byte[] noRoom = third.clone();
        DtlsRecords.putSequenceNumber(ByteBuffer.wrap(noRoom), 0, 1);
        assertThat(ClientHelloRewriter.earlierHellos(ByteBuffer.wrap(noRoom))).as("record sequence below message_seq")
                .isEmpty();
    }

    @Test
    void everyTruncationAndEveryCorruptedLengthIsRefusedWithoutAnException() {
        for (int n = 0; n < withCookie.length; n++) {
            assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(withCookie, 0, n))).as("first %d bytes", n)
                    .isNull();
        }
        // Lengths that disagree with the bytes: record, message, fragment, session id, cookie.
        for (int at : new int[] {11, 12, 14, 15, 16, 22, 23, 24, 25 + 34}) {
            for (int v = 0; v < 256; v++) {
                byte[] b = withCookie.clone();
                b[at] = (byte) v;
                ByteBuffer out = ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(b));
                if (out != null) {
                    assertThat(TestRecords.isWellFormed(out)).as("byte %d = %d", at, v).isTrue();
                }
            }
        }
        int cookieAt = 25 + 34 + 1 + (withCookie[25 + 34] & 0xff);
        byte[] longCookie = withCookie.clone();
        longCookie[cookieAt] = (byte) 255;
        assertThat(ClientHelloRewriter.withoutCookie(ByteBuffer.wrap(longCookie))).as("cookie past the end").isNull();
    }

    private static int u24(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 16) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) & 0xff);
    }
}
