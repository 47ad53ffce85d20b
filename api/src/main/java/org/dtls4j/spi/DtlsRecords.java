package org.dtls4j.spi;

import java.nio.ByteBuffer;

/**
 * The fields of a DTLS record with the 13-byte header of DTLS 1.0 and 1.2 (RFC 6347
 * section 4.1; also every DTLS 1.3 plaintext record), read and written at an absolute
 * position of a buffer: the constants and accessors every provider needs around its
 * backend. To walk the records of a datagram, and to read DTLS 1.3 unified headers and
 * RFC 9146 connection-ID records, use a {@link DtlsRecordCursor}.
 *
 * <p>No method checks that the header it reads is there (callers have framed the datagram
 * with a cursor first) except {@link #plaintextFatalAlert} and {@link #plaintextHandshakeType},
 * which answer -1 for anything short. No method moves a buffer's position or limit.
 * Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class DtlsRecords {

    /** The header of a DTLS 1.0/1.2 record: type (1), version (2), epoch (2), sequence number (6), length (2). */
    public static final int HEADER_SIZE = 13;
    /** A handshake message header: msg_type (1), length (3), message_seq (2), fragment_offset (3), fragment_length (3). */
    public static final int HANDSHAKE_HEADER_SIZE = 12;

    /** ContentType change_cipher_spec. */
    public static final int CHANGE_CIPHER_SPEC = 20;
    /** ContentType alert. */
    public static final int ALERT = 21;
    /** ContentType handshake. */
    public static final int HANDSHAKE = 22;
    /** ContentType application_data. */
    public static final int APPLICATION_DATA = 23;
    /** ContentType heartbeat (RFC 6520). */
    public static final int HEARTBEAT = 24;
    /** ContentType tls12_cid (RFC 9146): a DTLS 1.2 record whose header carries a connection ID. */
    public static final int TLS12_CID = 25;
    /** ContentType ack (RFC 9147 section 7). */
    public static final int ACK = 26;

    /** HandshakeType client_hello. */
    public static final int CLIENT_HELLO = 1;
    /** HandshakeType hello_verify_request. */
    public static final int HELLO_VERIFY_REQUEST = 3;

    /** AlertLevel fatal. */
    public static final byte FATAL = 2;

    /** DTLSCiphertext.length may not exceed 2^14 + 2048 (RFC 6347 section 4.1, RFC 5246 section 6.2.3). */
    public static final int MAX_FRAGMENT_LENGTH = (1 << 14) + 2048;

    private DtlsRecords() {
    }

    /**
     * {@return the content type of the record at {@code record}}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int contentType(ByteBuffer b, int record) {
        return b.get(record) & 0xff;
    }

    /**
     * {@return the two version bytes, such as {@code 0xfefd} for DTLS 1.2}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int version(ByteBuffer b, int record) {
        return u16(b, record + 1);
    }

    /**
     * {@return the record's epoch}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int epoch(ByteBuffer b, int record) {
        return u16(b, record + 3);
    }

    /**
     * {@return the 48-bit sequence number within the epoch}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static long sequenceNumber(ByteBuffer b, int record) {
        return ((long) u16(b, record + 5) << 32) | (b.getInt(record + 7) & 0xffffffffL);
    }

    /**
     * Overwrites the record's 48-bit sequence number.
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     * @param sequence the new sequence number; only its low 48 bits are written
     */
    public static void putSequenceNumber(ByteBuffer b, int record, long sequence) {
        b.putShort(record + 5, (short) (sequence >>> 32));
        b.putInt(record + 7, (int) sequence);
    }

    /**
     * Puts a 13-byte record header at {@code out}'s position and moves past it, as a relative
     * put does.
     *
     * @param out the buffer to write to, with at least 13 bytes remaining
     * @param type the content type
     * @param version the two version bytes, e.g. {@code 0xfefd}
     * @param epoch the epoch
     * @param sequence the 48-bit sequence number within the epoch
     * @param length the length of the fragment that follows
     * @return {@code out}, its position 13 bytes further
     */
    public static ByteBuffer putHeader(ByteBuffer out, int type, int version, int epoch, long sequence, int length) {
        out.put((byte) type).putShort((short) version).putShort((short) epoch);
        out.putShort((short) (sequence >>> 32)).putInt((int) sequence);
        return out.putShort((short) length);
    }

    /**
     * {@return the length of the record's fragment, without the header}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int length(ByteBuffer b, int record) {
        return u16(b, record + 11);
    }

    /**
     * {@return the whole record's size, header included}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int recordSize(ByteBuffer b, int record) {
        return HEADER_SIZE + length(b, record);
    }

    /**
     * {@return the whole record's size, header included, but never past {@code limit}: the rest of
     * the bytes when the header is cut short or the length runs past it}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     * @param limit the index just past the last byte that may belong to the record
     */
    public static int recordSizeWithin(ByteBuffer b, int record, int limit) {
        if (limit - record < HEADER_SIZE) {
            return limit - record;
        }
        return Math.min(recordSize(b, record), limit - record);
    }

    /**
     * {@return the description of a plaintext fatal alert record (epoch 0, two-byte fragment, level
     * fatal), or -1 if the record is something else, is encrypted or is cut short}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int plaintextFatalAlert(ByteBuffer b, int record) {
        if (b.limit() - record < HEADER_SIZE + 2 || contentType(b, record) != ALERT
                || epoch(b, record) != 0 || length(b, record) != 2
                || b.get(record + HEADER_SIZE) != FATAL) {
            return -1;
        }
        return b.get(record + HEADER_SIZE + 1) & 0xff;
    }

    /**
     * {@return the handshake message type of a plaintext handshake record (epoch 0), or -1 if the
     * record is something else, is encrypted or is too short for a handshake header}
     *
     * @param b the buffer that holds the record
     * @param record the index of the record's first byte in {@code b}
     */
    public static int plaintextHandshakeType(ByteBuffer b, int record) {
        if (b.limit() - record < HEADER_SIZE + HANDSHAKE_HEADER_SIZE || contentType(b, record) != HANDSHAKE
                || epoch(b, record) != 0 || length(b, record) < HANDSHAKE_HEADER_SIZE) {
            return -1;
        }
        return b.get(record + HEADER_SIZE) & 0xff;
    }

    /**
     * {@return the fewest bytes a protected record's fragment has under {@code cipherSuite}, with
     * an empty plaintext: its explicit nonce or IV, its tag or MAC, and in DTLS 1.3 the inner
     * content type; 0 for a suite this does not know}
     *
     * <p>A record of a protected epoch that is shorter cannot authenticate. RFC 6347 section
     * 4.1.2.7 and RFC 9147 section 4.5.2 say to drop it silently, but some backends take it
     * for a decode error and end the session with a fatal alert, so that one forged datagram at
     * a session's address would end it: a session drops such records before its backend sees
     * them ({@link DtlsRecordCursor#count(int, int, int)}).
     *
     * @param cipherSuite the negotiated suite, by its IANA name ({@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256})
     */
    public static int minimumProtectedLength(String cipherSuite) {
        boolean tls13 = cipherSuite.startsWith("TLS_AES_") || cipherSuite.equals("TLS_CHACHA20_POLY1305_SHA256");
        if (tls13) {
            return (cipherSuite.endsWith("_CCM_8_SHA256") ? 8 : 16) + 1;         // tag, inner content type
        }
        if (cipherSuite.contains("_CHACHA20_POLY1305_")) {
            return 16;                                                             // tag; the nonce is implicit
        }
        if (cipherSuite.endsWith("_CCM_8")) {
            return 8 + 8;                                                          // explicit nonce, short tag
        }
        if (cipherSuite.contains("_GCM_") || cipherSuite.endsWith("_CCM")) {
            return 8 + 16;                                                         // explicit nonce, tag
        }
        if (cipherSuite.contains("_CBC_")) {
            return 16 + 16;                                                        // IV, one block (MAC and padding)
        }
        return 0;
    }

    /**
     * {@return the unsigned byte at {@code i}}
     *
     * @param b the buffer to read
     * @param i an absolute index in {@code b}
     */
    public static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    /**
     * {@return the unsigned big-endian 16-bit value at {@code i}}
     *
     * @param b the buffer to read
     * @param i the absolute index of the first byte in {@code b}
     */
    public static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    /**
     * {@return the unsigned big-endian 24-bit value at {@code i} (handshake lengths and offsets)}
     *
     * @param b the buffer to read
     * @param i the absolute index of the first byte in {@code b}
     */
    public static int u24(ByteBuffer b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }
}
