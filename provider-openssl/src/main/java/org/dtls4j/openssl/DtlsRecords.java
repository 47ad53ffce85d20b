package org.dtls4j.openssl;

import java.nio.ByteBuffer;

/**
 * DTLS record framing (RFC 6347 section 4.1): 13-byte headers, checked before OpenSSL sees
 * a datagram, and used to split what a memory BIO drained into one record per datagram
 * (OpenSSL 3.0's memory BIO keeps no datagram boundaries).
 *
 * <p>Stateless and thread-safe.
 */
final class DtlsRecords {

    static final int HEADER = 13;
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    private DtlsRecords() {
    }

    /**
     * Whether the datagram's remaining bytes are one or more whole DTLS records of known
     * types, in epoch 0 or 1 (this provider never renegotiates, so no other epoch exists).
     */
    static boolean isWellFormed(ByteBuffer d) {
        return count(d) > 0;
    }

    /**
     * How many records the datagram's remaining bytes hold, or 0 if they are not one or
     * more whole DTLS records of known types in epoch 0 or 1.
     */
    static int count(ByteBuffer d) {
        int at = d.position();
        int end = d.limit();
        if (end - at < HEADER) {
            return 0;
        }
        int records = 0;
        while (at < end) {
            if (end - at < HEADER) {
                return 0;
            }
            int type = d.get(at) & 0xff;
            if (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA || (d.get(at + 1) & 0xff) != 0xfe) {
                return 0;
            }
            int epoch = ((d.get(at + 3) & 0xff) << 8) | (d.get(at + 4) & 0xff);
            if (epoch > 1) {
                return 0;
            }
            int length = ((d.get(at + 11) & 0xff) << 8) | (d.get(at + 12) & 0xff);
            at += HEADER + length;
            records++;
        }
        return at == end ? records : 0;
    }

    /**
     * The length of the whole record starting at {@code offset} of {@code bytes}, or the
     * rest of the buffer if its header is cut short (never past {@code limit}).
     */
    static int recordLength(ByteBuffer bytes, int offset, int limit) {
        if (limit - offset < HEADER) {
            return limit - offset;
        }
        int length = HEADER + (((bytes.get(offset + 11) & 0xff) << 8) | (bytes.get(offset + 12) & 0xff));
        return Math.min(length, limit - offset);
    }

    /** The content type of the first record of a datagram. */
    static int type(ByteBuffer d) {
        return d.get(d.position()) & 0xff;
    }

    /** The epoch of the first record of a datagram. */
    static int epoch(ByteBuffer d) {
        int at = d.position();
        return ((d.get(at + 3) & 0xff) << 8) | (d.get(at + 4) & 0xff);
    }

}
