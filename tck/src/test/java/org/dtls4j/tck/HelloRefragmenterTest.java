package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CK-8's relay cuts ClientHellos as a small-MTU client would, and keeps the client's record numbers consistent. */
class HelloRefragmenterTest {

    private static final byte[] BODY = RawHellos.largeClientHelloBody(RawHellos.random(1), new byte[0], 600);

    @Test
    void aClientHelloIsCutIntoFragmentsThatFitAndTheLaterEpochZeroRecordsAreRenumbered() {
        HelloRefragmenter r = new HelloRefragmenter(256);
        byte[] whole = RawHellos.fragmented(BODY, 0, 5, 2000).get(0);
        List<ByteBuffer> out = r.apply(ByteBuffer.wrap(whole));
        assertEquals(4, out.size(), "600 bytes: 231 + 231 + 74, then the last 64 alone");
        byte[] body = new byte[BODY.length];
        int at = 0;
        for (int i = 0; i < out.size(); i++) {
            byte[] d = bytes(out.get(i));
            assertTrue(d.length <= 256, "fragment " + i + " fits 256 bytes: " + d.length);
            assertEquals(5 + i, sequence(d), "fragment " + i + " numbered from the record it replaces");
            assertArrayEquals(Arrays.copyOfRange(whole, 0, 3), Arrays.copyOfRange(d, 0, 3), "a DTLS 1.2 handshake record");
            assertEquals(at, ByteBuffer.wrap(d).getInt(13 + 5) & 0xffffff, "fragment " + i + "'s offset");
            int n = ByteBuffer.wrap(d).getInt(13 + 8) & 0xffffff;
            assertEquals(d.length - 25, n, "fragment " + i + "'s length");
            System.arraycopy(d, 25, body, at, n);
            at += n;
        }
        assertArrayEquals(BODY, body, "the fragments make the ClientHello");
        assertEquals(HelloRefragmenter.TAIL, bytes(out.get(3)).length - 25, "the tail alone");
        assertEquals(0, r.highestClientHelloSeq());

        byte[] later = record(0, 6, new byte[] {16, 0, 0, 0});
        assertEquals(6 + out.size() - 1, sequence(bytes(r.apply(ByteBuffer.wrap(later)).get(0))),
                "a later epoch-0 record moves up by the records added");
        byte[] epochOne = record(1, 0, new byte[] {1, 2, 3});
        assertArrayEquals(epochOne, bytes(r.apply(ByteBuffer.wrap(epochOne)).get(0)), "other epochs pass unchanged");
        byte[] unified = {0x2c, 1, 2, 3, 4};
        assertArrayEquals(unified, bytes(r.apply(ByteBuffer.wrap(unified)).get(0)), "what it cannot read passes unchanged");
    }

    @Test
    void theMessageSeqOfEveryClientHelloIsNoted() {
        HelloRefragmenter r = new HelloRefragmenter(256);
        r.apply(ByteBuffer.wrap(RawHellos.fragmented(BODY, 1, 0, 2000).get(0)));
        r.apply(ByteBuffer.wrap(RawHellos.fragmented(BODY, 0, 1, 2000).get(0)));
        assertEquals(1, r.highestClientHelloSeq());
    }

    /** A DTLS 1.2 handshake record of {@code epoch} holding {@code body}. */
    private static byte[] record(int epoch, long sequence, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(13 + body.length);
        b.put((byte) 22).putShort((short) 0xfefd).putShort((short) epoch).putShort((short) (sequence >>> 32))
                .putInt((int) sequence).putShort((short) body.length).put(body);
        return b.array();
    }

    private static long sequence(byte[] record) {
        return ByteBuffer.wrap(record).getLong(3) & 0xffffffffffffL;
    }

    private static byte[] bytes(ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
    }
}
