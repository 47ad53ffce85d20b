package org.dtls4j.tck;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dtls4j.spi.DtlsRecords;

/**
 * Records an attacker forges or bends, for {@link HostileInputContract}: handshake fragments
 * that lie about their message, alerts, ChangeCipherSpecs with bad bodies, records of other
 * epochs, and records that fail authentication. Records use the DTLSPlaintext header (RFC 6347
 * section 4.1) unless said otherwise. Stateless; thread-safe.
 */
final class HostileRecords {

    static final int HEADER = DtlsRecords.HEADER_SIZE;
    static final int HANDSHAKE_HEADER = DtlsRecords.HANDSHAKE_HEADER_SIZE;
    static final int CHANGE_CIPHER_SPEC = DtlsRecords.CHANGE_CIPHER_SPEC;
    static final int ALERT = DtlsRecords.ALERT;
    static final int HANDSHAKE = DtlsRecords.HANDSHAKE;
    static final int APPLICATION_DATA = DtlsRecords.APPLICATION_DATA;
    /** The length a forged fragment claims: 16 MB, the most a 24-bit length can say. */
    static final int HUGE = 0xffffff;
    /** The highest record sequence number of an epoch: 2^48-1. */
    static final long LAST_SEQUENCE = (1L << 48) - 1;

    private HostileRecords() {
    }

    /** The records of a datagram in DTLSPlaintext headers, each a copy; stops at the first that does not fit. */
    static List<byte[]> records(byte[] datagram) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at + HEADER <= datagram.length && !isUnified(datagram[at])) {
            int end = at + HEADER + u16(datagram, at + 11);
            if (end > datagram.length) {
                break;
            }
            out.add(Arrays.copyOfRange(datagram, at, end));
            at = end;
        }
        return out;
    }

    /** Whether a record starts with a DTLS 1.3 unified header (001xxxxx, RFC 9147 section 4). */
    static boolean isUnified(byte first) {
        return (first & 0xe0) == 0x20;
    }

    /** Whether {@code record} is a plaintext (epoch 0) handshake record that holds at least one fragment header. */
    static boolean isPlainHandshake(byte[] record) {
        return record.length >= HEADER + HANDSHAKE_HEADER && record[0] == HANDSHAKE && epoch(record) == 0;
    }

    static int epoch(byte[] record) {
        return u16(record, 3);
    }

    static long sequence(byte[] record) {
        long s = 0;
        for (int i = 5; i < 11; i++) {
            s = s << 8 | (record[i] & 0xff);
        }
        return s;
    }

    /** Joins records (or whole datagrams) into one datagram. */
    static byte[] datagram(List<byte[]> parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        parts.forEach(b::writeBytes);
        return b.toByteArray();
    }

    /** A DTLSPlaintext-format record with {@code version} from {@code like} (bytes 1 and 2). */
    static byte[] record(byte[] like, int type, int epoch, long sequence, byte[] body) {
        byte[] r = new byte[HEADER + body.length];
        r[0] = (byte) type;
        r[1] = like[1];
        r[2] = like[2];
        r[3] = (byte) (epoch >> 8);
        r[4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            r[10 - i] = (byte) (sequence >>> (8 * i));
        }
        r[11] = (byte) (body.length >> 8);
        r[12] = (byte) body.length;
        System.arraycopy(body, 0, r, HEADER, body.length);
        return r;
    }

    /** An alert record of {@code level} (1 warning, 2 fatal) in epoch 0, numbered like {@code like}. */
    static byte[] alert(byte[] like, int level, int description) {
        return record(like, ALERT, 0, sequence(like), new byte[] {(byte) level, (byte) description});
    }

    /** A handshake fragment: its 12-byte header, then {@code body}. */
    static byte[] fragment(int type, int length, int messageSeq, int offset, byte[] body) {
        byte[] f = new byte[HANDSHAKE_HEADER + body.length];
        f[0] = (byte) type;
        put24(f, 1, length);
        f[4] = (byte) (messageSeq >> 8);
        f[5] = (byte) messageSeq;
        put24(f, 6, offset);
        put24(f, 9, body.length);
        System.arraycopy(body, 0, f, HANDSHAKE_HEADER, body.length);
        return f;
    }

    /**
     * The plaintext handshake record {@code record} with its first fragment replaced by lies
     * about the same message and its neighbours, then the same fragment again in two overlapping
     * pieces: a fragment claiming 16 MB for the message and for each of the next three, one whose
     * offset lies past the message's end, one that runs past it, and the real bytes cut so
     * that the pieces overlap. A receiver that drops the lies and takes the overlap has the
     * message whole, as before; the rest of the record follows unchanged.
     */
    static byte[] withLyingFragments(byte[] record) {
        int type = record[HEADER] & 0xff;
        int length = u24(record, HEADER + 1);
        int seq = u16(record, HEADER + 4);
        int offset = u24(record, HEADER + 6);
        int fragmentLength = u24(record, HEADER + 9);
        int bodyAt = HEADER + HANDSHAKE_HEADER;
        if (bodyAt + fragmentLength > record.length) {
            return record;
        }
        byte[] real = Arrays.copyOfRange(record, bodyAt, bodyAt + fragmentLength);
        byte[] some = Arrays.copyOf(real, Math.min(real.length, 64));
        List<byte[]> parts = new ArrayList<>();
        for (int ahead = 0; ahead < 4; ahead++) {
            parts.add(fragment(type, HUGE, seq + ahead, 0, some));
        }
        parts.add(fragment(type, length, seq, length + 100, new byte[16]));
        parts.add(fragment(type, length, seq, Math.max(0, length - 4), new byte[16]));
        if (fragmentLength >= 3) {
            int third = fragmentLength / 3;
            parts.add(fragment(type, length, seq, offset, Arrays.copyOfRange(real, 0, 2 * third)));
            parts.add(fragment(type, length, seq, offset + third, Arrays.copyOfRange(real, third, fragmentLength)));
        } else {
            parts.add(Arrays.copyOfRange(record, HEADER, bodyAt + fragmentLength));
        }
        parts.add(Arrays.copyOfRange(record, bodyAt + fragmentLength, record.length));
        byte[] body = datagram(parts);
        return record(record, HANDSHAKE, 0, sequence(record), body);
    }

    /** A record that fails authentication: {@code type}, {@code epoch}, {@code sequence}, a random body. */
    static byte[] forged(byte[] like, int type, int epoch, long sequence, int bodyLength, Random random) {
        byte[] body = new byte[bodyLength];
        random.nextBytes(body);
        return record(like, type, epoch, sequence, body);
    }

    /**
     * A DTLS 1.3 ciphertext record (unified header with a 16-bit sequence number and a length,
     * RFC 9147 section 4) of epoch bits {@code epochBits}, sequence bits {@code sequence} and a
     * random body, which fails authentication.
     */
    static byte[] forgedUnified(int epochBits, int sequence, int bodyLength, Random random) {
        byte[] r = new byte[5 + bodyLength];
        random.nextBytes(r);
        r[0] = (byte) (0x2c | (epochBits & 3));
        r[1] = (byte) (sequence >> 8);
        r[2] = (byte) sequence;
        r[3] = (byte) (bodyLength >> 8);
        r[4] = (byte) bodyLength;
        return r;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static int u24(byte[] b, int at) {
        return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
    }

    private static void put24(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 16);
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) v;
    }
}
