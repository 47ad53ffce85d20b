package org.dtls4j.tck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts every ClientHello a client sends into fragments for a small datagram size, whatever
 * size the client itself chose, as a path with a small MTU makes a client do: each fragment in
 * a record and a datagram of its own, and the last {@link #TAIL} bytes always in a fragment
 * of their own (as the tail of a ClientHello just over the MTU), so that every ClientHello
 * arrives in two fragments at least. The client's epoch-0 records after it are renumbered
 * (each added record shifts the later ones), so the server sees one consistent record
 * sequence; other epochs pass unchanged. A record this cannot read ends the rewriting of its
 * datagram: the rest passes as it came.
 *
 * <p>Not thread-safe: one relay thread uses it. It also notes the highest message_seq of the
 * ClientHellos it saw, which is above 1 only if the client was sent through a second cookie
 * exchange.
 */
final class HelloRefragmenter {

    private static final int HEADER = 13;
    private static final int HANDSHAKE_HEADER = 12;
    /** The bytes at the end of every ClientHello that go in a fragment of their own. */
    static final int TAIL = 64;

    private final int datagramSize;
    /** Records added to the client's epoch 0 so far. */
    private long added;
    private volatile int highestClientHelloSeq = -1;

    /** @param datagramSize the largest datagram a fragment goes out in; room for at least one byte of the message */
    HelloRefragmenter(int datagramSize) {
        if (datagramSize <= HEADER + HANDSHAKE_HEADER) {
            throw new IllegalArgumentException("no room for a fragment in " + datagramSize + " bytes");
        }
        this.datagramSize = datagramSize;
    }

    /** The highest message_seq of a ClientHello seen so far, -1 before the first. */
    int highestClientHelloSeq() {
        return highestClientHelloSeq;
    }

    /** The datagrams to send for a datagram from the client (from position to limit, not consumed). */
    List<ByteBuffer> apply(ByteBuffer datagram) {
        List<ByteBuffer> out = new ArrayList<>();
        int end = datagram.limit();
        int p = datagram.position();
        while (p < end) {
            int type = datagram.get(p) & 0xff;
            if (end - p < HEADER || type < 20 || type > 25) {
                out.add(copy(datagram, p, end)); // a 1.3 unified header or garbage: pass the rest on
                break;
            }
            int length = datagram.getShort(p + 11) & 0xffff;
            int recordEnd = p + HEADER + length;
            if (recordEnd > end) {
                out.add(copy(datagram, p, end));
                break;
            }
            boolean epochZero = datagram.getShort(p + 3) == 0;
            if (epochZero && isWholeClientHelloFragment(datagram, p, length)) {
                splitClientHello(datagram, p, out);
            } else {
                ByteBuffer r = copy(datagram, p, recordEnd);
                if (epochZero) {
                    putSequence(r, 0, sequence(datagram, p) + added);
                }
                out.add(r);
            }
            p = recordEnd;
        }
        return out;
    }

    /** Whether the record holds exactly one ClientHello fragment and nothing else. */
    private static boolean isWholeClientHelloFragment(ByteBuffer d, int record, int length) {
        if (d.get(record) != 22 || length < HANDSHAKE_HEADER || d.get(record + HEADER) != 1) {
            return false;
        }
        return HANDSHAKE_HEADER + u24(d, record + HEADER + 9) == length;
    }

    private void splitClientHello(ByteBuffer d, int record, List<ByteBuffer> out) {
        int hs = record + HEADER;
        int messageSeq = d.getShort(hs + 4) & 0xffff;
        highestClientHelloSeq = Math.max(highestClientHelloSeq, messageSeq);
        int offset = u24(d, hs + 6);
        int length = u24(d, hs + 9);
        long sequence = sequence(d, record) + added;
        int room = datagramSize - HEADER - HANDSHAKE_HEADER;
        // The last bytes always go alone, as the tail of a ClientHello just over a path's MTU
        // does: a ClientHello that fits one datagram is fragmented too.
        int tail = length > 2 * TAIL ? length - TAIL : length;
        int pieces = 0;
        for (int at = 0, n; at < length || pieces == 0; at += n, pieces++) {
            n = Math.min(at + room, at < tail ? tail : length) - at;
            ByteBuffer r = ByteBuffer.allocate(HEADER + HANDSHAKE_HEADER + n);
            r.put(copy(d, record, hs + 6));                       // record header, type, length, message_seq
            r.put((byte) ((offset + at) >>> 16)).putShort((short) (offset + at));
            r.put((byte) (n >>> 16)).putShort((short) n);
            r.put(copy(d, hs + HANDSHAKE_HEADER + at, hs + HANDSHAKE_HEADER + at + n));
            r.flip();
            r.putShort(11, (short) (HANDSHAKE_HEADER + n));
            putSequence(r, 0, sequence + pieces);
            out.add(r);
        }
        added += pieces - 1;
    }

    private static ByteBuffer copy(ByteBuffer d, int from, int to) {
        ByteBuffer c = ByteBuffer.allocate(to - from);
        c.put(d.duplicate().limit(to).position(from));
        return c.flip();
    }

    private static long sequence(ByteBuffer d, int record) {
        return ((long) (d.getShort(record + 5) & 0xffff) << 32) | (d.getInt(record + 7) & 0xffffffffL);
    }

    private static void putSequence(ByteBuffer d, int record, long sequence) {
        d.putShort(record + 5, (short) (sequence >>> 32));
        d.putInt(record + 7, (int) sequence);
    }

    private static int u24(ByteBuffer d, int at) {
        return (d.get(at) & 0xff) << 16 | (d.getShort(at + 1) & 0xffff);
    }
}
