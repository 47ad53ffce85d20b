package org.dtls4j.jsse;

import java.nio.ByteBuffer;

/**
 * The DTLS record layer as seen from outside the engine (RFC 6347 section 4.1): the
 * 13-byte header of every record, and the framing check that keeps malformed datagrams
 * away from JSSE.
 *
 * <p>JSSE discards a whole datagram when its first record header is bad, but a bad header
 * further in, or a length that runs past the datagram, reaches its decoder; checking the
 * framing here first makes every malformed datagram a counted drop, the same on every
 * backend. All methods read absolute positions and never move a buffer's position.
 *
 * <p>Stateless and thread-safe.
 */
final class DtlsRecords {

    /** Type (1), version (2), epoch (2), sequence number (6), length (2). */
    static final int HEADER_SIZE = 13;

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    /** The highest content type accepted: 24 is heartbeat (RFC 6520), 25 tls12_cid (RFC 9146). */
    private static final int LAST_CONTENT_TYPE = 25;

    /** Every DTLS version so far has the major byte {@code 0xfe} (the one's complement of 1). */
    private static final int DTLS_MAJOR_VERSION = 0xfe;

    /** TLSCiphertext.length may not exceed 2^14 + 2048 (RFC 5246 section 6.2.3). */
    static final int MAX_FRAGMENT_LENGTH = (1 << 14) + 2048;

    /** Handshake header: msg_type (1), length (3), message_seq (2), fragment_offset (3), fragment_length (3). */
    static final int HANDSHAKE_HEADER_SIZE = 12;

    /** AlertLevel.fatal. */
    static final byte FATAL = 2;

    static final int CLIENT_HELLO = 1;
    static final int HELLO_VERIFY_REQUEST = 3;

    private DtlsRecords() {
    }

    /**
     * Whether the datagram from position to limit is a sequence of one or more whole DTLS
     * records: each with a known content type, a DTLS version, and a length that fits both
     * the protocol's limit and the bytes that remain.
     */
    static boolean isWellFormed(ByteBuffer datagram) {
        int at = datagram.position();
        int end = datagram.limit();
        if (at >= end) {
            return false;
        }
        while (at < end) {
            if (end - at < HEADER_SIZE) {
                return false;
            }
            int type = contentType(datagram, at);
            if (type < CHANGE_CIPHER_SPEC || type > LAST_CONTENT_TYPE) {
                return false;
            }
            if ((datagram.get(at + 1) & 0xff) != DTLS_MAJOR_VERSION) {
                return false;
            }
            int length = length(datagram, at);
            if (length > MAX_FRAGMENT_LENGTH || length > end - at - HEADER_SIZE) {
                return false;
            }
            at += HEADER_SIZE + length;
        }
        return true;
    }

    static int contentType(ByteBuffer b, int record) {
        return b.get(record) & 0xff;
    }

    /** The two version bytes, e.g. {@code 0xfefd} for DTLS 1.2. */
    static int version(ByteBuffer b, int record) {
        return ((b.get(record + 1) & 0xff) << 8) | (b.get(record + 2) & 0xff);
    }

    static int epoch(ByteBuffer b, int record) {
        return ((b.get(record + 3) & 0xff) << 8) | (b.get(record + 4) & 0xff);
    }

    /** The 48-bit sequence number within the epoch. */
    static long sequenceNumber(ByteBuffer b, int record) {
        long s = 0;
        for (int i = 5; i < 11; i++) {
            s = (s << 8) | (b.get(record + i) & 0xff);
        }
        return s;
    }

    static void putSequenceNumber(ByteBuffer b, int record, long sequence) {
        for (int i = 10; i >= 5; i--) {
            b.put(record + i, (byte) sequence);
            sequence >>>= 8;
        }
    }

    /** The length of the record's fragment, without the header. */
    static int length(ByteBuffer b, int record) {
        return ((b.get(record + 11) & 0xff) << 8) | (b.get(record + 12) & 0xff);
    }

    /** The whole record's size, header included. */
    static int recordSize(ByteBuffer b, int record) {
        return HEADER_SIZE + length(b, record);
    }

    /**
     * The description of a plaintext fatal alert record (epoch 0, two-byte fragment, level
     * 2), or -1 if the record is something else or is encrypted.
     */
    static int plaintextFatalAlert(ByteBuffer b, int record) {
        if (b.limit() - record < HEADER_SIZE + 2 || contentType(b, record) != ALERT
                || epoch(b, record) != 0 || length(b, record) != 2
                || b.get(record + HEADER_SIZE) != FATAL) {
            return -1;
        }
        return b.get(record + HEADER_SIZE + 1) & 0xff;
    }

    /**
     * The handshake message type of a plaintext handshake record (epoch 0), or -1 if the
     * record is something else or is encrypted.
     */
    static int plaintextHandshakeType(ByteBuffer b, int record) {
        if (b.limit() - record < HEADER_SIZE + HANDSHAKE_HEADER_SIZE || contentType(b, record) != HANDSHAKE
                || epoch(b, record) != 0 || length(b, record) < HANDSHAKE_HEADER_SIZE) {
            return -1;
        }
        return b.get(record + HEADER_SIZE) & 0xff;
    }
}
