package org.dtls4j.tck;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.dtls4j.spi.DtlsRecords;

/**
 * The datagrams {@link UdpFuzzer} sends, each drawn from a seeded {@link Random}: raw bytes and
 * bogus record headers, ClientHellos that lie about their lengths and fragments, ClientHellos
 * whose body is mutated where a cookie does not protect it, and the records an attacker injects
 * into an established session (alerts of every description, ChangeCipherSpecs with bad bodies,
 * records of epochs and sequence numbers that are not the session's).
 *
 * <p>Not thread-safe: one instance per thread, as its {@code Random} is.
 */
final class HostileDatagrams {

    /** Offsets into a datagram that starts with a DTLS 1.2 handshake record. */
    private static final int RECORD_LENGTH = 11;
    private static final int HANDSHAKE = DtlsRecords.HEADER_SIZE;
    private static final int MESSAGE_LENGTH = HANDSHAKE + 1;
    private static final int MESSAGE_SEQ = HANDSHAKE + 4;
    private static final int FRAGMENT_OFFSET = HANDSHAKE + 6;
    private static final int FRAGMENT_LENGTH = HANDSHAKE + 9;
    private static final int BODY = HANDSHAKE + DtlsRecords.HANDSHAKE_HEADER_SIZE;
    private static final int SESSION_ID = BODY + 2 + 32;

    private static final int[] TYPES = {DtlsRecords.CHANGE_CIPHER_SPEC, DtlsRecords.ALERT, DtlsRecords.HANDSHAKE,
        DtlsRecords.APPLICATION_DATA, DtlsRecords.HEARTBEAT, DtlsRecords.TLS12_CID, DtlsRecords.ACK};
    private static final int[] VERSIONS = {0xfefd, 0xfeff, 0xfefc, 0x0303, 0x0000, 0xffff};

    private final Random random;

    HostileDatagrams(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** Phase 1: random bytes, or a record header of a random kind whose length may lie, over random bytes. */
    byte[] raw() {
        if (random.nextBoolean()) {
            byte[] d = new byte[1 + random.nextInt(1500)];
            random.nextBytes(d);
            if (random.nextBoolean()) {
                d[0] = (byte) TYPES[random.nextInt(TYPES.length)];
            }
            return d;
        }
        int bodyLength = random.nextInt(300);
        int claimed = switch (random.nextInt(4)) {
            case 0 -> bodyLength;
            case 1 -> bodyLength + 1 + random.nextInt(100);
            case 2 -> 0;
            default -> 0xffff;
        };
        int epoch = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 2;
            default -> random.nextInt(0x10000);
        };
        ByteBuffer d = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + bodyLength);
        DtlsRecords.putHeader(d, TYPES[random.nextInt(TYPES.length)], VERSIONS[random.nextInt(VERSIONS.length)], epoch,
                random.nextLong() & 0xffff_ffff_ffffL, claimed);
        byte[] body = new byte[bodyLength];
        random.nextBytes(body);
        d.put(body);
        return d.array();
    }

    /**
     * Phase 2: {@code hello} (a real first ClientHello, one record) with lying lengths, a 16 MB
     * message claim, a fragment past the message's end, a duplicated extension, bad vector
     * lengths, flipped bytes, a cut, or a stray message_seq or epoch.
     */
    byte[] lyingHello(byte[] hello) {
        byte[] d = hello.clone();
        switch (random.nextInt(10)) {
            case 0 -> put16(d, RECORD_LENGTH, random.nextInt(0x10000));
            case 1 -> put24(d, MESSAGE_LENGTH, 0xffffff);                      // a 16 MB message, one small fragment
            case 2 -> put24(d, FRAGMENT_LENGTH, random.nextInt(0x1000000));
            case 3 -> put24(d, FRAGMENT_OFFSET, u24(d, MESSAGE_LENGTH) + random.nextInt(1 << 16));
            case 4 -> {
                put24(d, MESSAGE_LENGTH, 0xffffff);
                put24(d, FRAGMENT_OFFSET, 0xffffff - u24(d, FRAGMENT_LENGTH) + random.nextInt(64));
            }
            case 5 -> d = duplicatedExtension(d);
            case 6 -> d = badVectorLength(d);
            case 7 -> flip(d, BODY, 1 + random.nextInt(8));
            case 8 -> d = Arrays.copyOf(d, random.nextInt(d.length));
            default -> {
                put16(d, MESSAGE_SEQ, 1 + random.nextInt(0xffff));
                if (random.nextBoolean()) {
                    put16(d, 3, 1 + random.nextInt(3));                         // epoch
                }
            }
        }
        return d;
    }

    /**
     * Phase 3: {@code hello} with its body mutated past the cookie, framing kept whole, so that
     * the listener answers it with a cookie and the backend then gets it: a duplicated
     * extension, a bad vector length, or flipped bytes among the suites and extensions.
     */
    byte[] mutatedBody(byte[] hello) {
        return switch (random.nextInt(3)) {
            case 0 -> duplicatedExtension(hello);
            case 1 -> badVectorLength(hello);
            default -> {
                byte[] d = hello.clone();
                int from = suitesAt(d);
                if (from < 0 || from >= d.length) {
                    yield d;
                }
                flip(d, from, 1 + random.nextInt(6));
                yield d;
            }
        };
    }

    /**
     * Phase 4: a record for an established session's address that does not come from its peer:
     * an epoch-0 alert of any level and description, a ChangeCipherSpec with a bad body, an
     * epoch-0 ClientHello, a record of the current or a future epoch that cannot authenticate
     * (possibly with sequence number 2^48-1), or {@code captured} (one of the peer's own
     * datagrams) with flipped ciphertext or a forged sequence number.
     *
     * @param hello a first ClientHello, for the epoch-0 renegotiation attempt
     * @param captured a datagram the real client sent since its handshake, or null
     */
    byte[] injected(byte[] hello, byte[] captured) {
        long seq = random.nextBoolean() ? (1L << 48) - 1 : random.nextLong() & 0xffff_ffff_ffffL;
        switch (random.nextInt(captured == null ? 5 : 6)) {
            case 0 -> {
                return record(DtlsRecords.ALERT, 0, seq, new byte[] {(byte) (1 + random.nextInt(2)), (byte) random.nextInt(256)});
            }
            case 1 -> {
                byte[][] bodies = {{}, {2}, {1, 1}, {0}, {1, 1, 1, 1, 1}};
                return record(DtlsRecords.CHANGE_CIPHER_SPEC, random.nextInt(2), seq, bodies[random.nextInt(bodies.length)]);
            }
            case 2 -> {
                byte[] d = hello.clone();
                put16(d, MESSAGE_SEQ, random.nextInt(4));
                return d;
            }
            case 3, 4 -> {
                byte[] body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                return record(TYPES[random.nextInt(4)], 1 + random.nextInt(epochSpan()), seq, body);
            }
            default -> {
                byte[] d = captured.clone();
                if (d.length > DtlsRecords.HEADER_SIZE && (d[0] & 0xe0) != 0x20 && random.nextBoolean()) {
                    ByteBuffer b = ByteBuffer.wrap(d);
                    DtlsRecords.putSequenceNumber(b, 0, seq);                      // a forged number, the old MAC
                } else {
                    flip(d, Math.min(d.length - 1, DtlsRecords.HEADER_SIZE), 1 + random.nextInt(4));
                }
                return d;
            }
        }
    }

    /** Half the forged records claim the session's first epoch, half one of the next five. */
    private int epochSpan() {
        return random.nextBoolean() ? 1 : 6;
    }

    private static byte[] record(int type, int epoch, long seq, byte[] body) {
        ByteBuffer d = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + body.length);
        DtlsRecords.putHeader(d, type, 0xfefd, epoch, seq, body.length);
        d.put(body);
        return d.array();
    }

    /**
     * {@return {@code hello} with {@code cookie} in it, as {@link RawHellos#withCookie} makes it,
     * or null if the mutated hello's session ID or cookie length runs past its end}
     */
    static byte[] withCookie(byte[] hello, byte[] cookie) {
        if (hello.length <= SESSION_ID) {
            return null;
        }
        int cookieAt = SESSION_ID + 1 + (hello[SESSION_ID] & 0xff);
        if (cookieAt >= hello.length || cookieAt + 1 + (hello[cookieAt] & 0xff) > hello.length) {
            return null;
        }
        return RawHellos.withCookie(hello, cookie);
    }

    /** Where the cipher suites start (their length field), or -1 if the body is too short to say. */
    private static int suitesAt(byte[] d) {
        if (d.length <= SESSION_ID) {
            return -1;
        }
        int cookie = SESSION_ID + 1 + (d[SESSION_ID] & 0xff);
        return cookie < d.length ? cookie + 1 + (d[cookie] & 0xff) : -1;
    }

    /** Where the extensions' length field is, or -1. */
    private static int extensionsAt(byte[] d) {
        int suites = suitesAt(d);
        if (suites < 0 || suites + 2 > d.length) {
            return -1;
        }
        int compression = suites + 2 + ((d[suites] & 0xff) << 8 | d[suites + 1] & 0xff);
        return compression < d.length ? compression + 1 + (d[compression] & 0xff) : -1;
    }

    /** The first extension twice, every length that contains it grown to match. */
    private byte[] duplicatedExtension(byte[] hello) {
        int at = extensionsAt(hello);
        if (at < 0 || at + 6 > hello.length) {
            return hello.clone();
        }
        int first = at + 2;
        int size = 4 + ((hello[first + 2] & 0xff) << 8 | hello[first + 3] & 0xff);
        if (first + size > hello.length) {
            return hello.clone();
        }
        byte[] d = new byte[hello.length + size];
        System.arraycopy(hello, 0, d, 0, first + size);
        System.arraycopy(hello, first, d, first + size, size);
        System.arraycopy(hello, first + size, d, first + 2 * size, hello.length - first - size);
        put16(d, at, u16(d, at) + size);
        grow(d, size);
        return d;
    }

    /** One of the body's vector lengths (session id, cookie, suites, extensions) set to a random value. */
    private byte[] badVectorLength(byte[] hello) {
        byte[] d = hello.clone();
        int which = random.nextInt(3);
        int at = which == 0 ? SESSION_ID : which == 1 ? suitesAt(d) : extensionsAt(d);
        if (at < 0 || at + 2 > d.length) {
            return d;
        }
        if (which == 0) {
            d[at] = (byte) random.nextInt(256);
        } else {
            put16(d, at, random.nextInt(0x10000));
        }
        return d;
    }

    private void flip(byte[] d, int from, int count) {
        if (from >= d.length) {
            return;
        }
        for (int i = 0; i < count; i++) {
            d[from + random.nextInt(d.length - from)] ^= (byte) (1 + random.nextInt(255));
        }
    }

    /** Adds {@code n} to the record, message and fragment lengths of a one-fragment handshake record. */
    private static void grow(byte[] d, int n) {
        put16(d, RECORD_LENGTH, u16(d, RECORD_LENGTH) + n);
        put24(d, MESSAGE_LENGTH, u24(d, MESSAGE_LENGTH) + n);
        put24(d, FRAGMENT_LENGTH, u24(d, FRAGMENT_LENGTH) + n);
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xff) << 8 | d[at + 1] & 0xff;
    }

    private static int u24(byte[] d, int at) {
        return (d[at] & 0xff) << 16 | (d[at + 1] & 0xff) << 8 | d[at + 2] & 0xff;
    }

    private static void put16(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 8);
        d[at + 1] = (byte) v;
    }

    private static void put24(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 16);
        d[at + 1] = (byte) (v >>> 8);
        d[at + 2] = (byte) v;
    }
}
