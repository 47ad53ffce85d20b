package org.dtls4j.spi;

import java.nio.ByteBuffer;

/**
 * Walks the records of one datagram, checking each header's framing against the bytes that
 * are really there: the one DTLS record-header parser of dtls4j. It reads
 * <ul>
 *   <li>the 13-byte header of DTLS 1.0/1.2 records and of DTLS 1.3 plaintext records
 *       (RFC 6347 section 4.1);</li>
 *   <li>the RFC 9146 connection-ID record (content type {@link DtlsRecords#TLS12_CID}): the
 *       connection ID sits between the sequence number and the length;</li>
 *   <li>when asked to, the DTLS 1.3 unified header (RFC 9147 section 4): a first byte
 *       {@code 001CSLEE}, an optional connection ID, an 8- or 16-bit sequence number and an
 *       optional length (without one, the record runs to the end of the datagram).</li>
 * </ul>
 * Neither header form says how long a connection ID is, so the cursor is made for the one
 * length the reader's side chose for the connection IDs it receives.
 *
 * <p>A flyweight: it keeps only offsets into the buffer it was {@link #reset} with, never
 * copies a byte, never moves the buffer's position or limit, and allocates nothing per
 * record or per datagram, so a session or listener keeps one and reuses it for every
 * datagram. Not thread-safe.
 *
 * @since 0.1
 */
public final class DtlsRecordCursor {

    private static final int DTLS_MAJOR_VERSION = 0xfe;
    private static final int UNIFIED_MASK = 0xe0;
    private static final int UNIFIED_FIXED_BITS = 0x20;
    private static final int UNIFIED_CID = 0x10;
    private static final int UNIFIED_SEQUENCE_16 = 0x08;
    private static final int UNIFIED_LENGTH = 0x04;
    private static final int UNIFIED_EPOCH = 0x03;

    private final int connectionIdLength;
    private final boolean unifiedHeaders;

    private ByteBuffer buffer;
    private int end;
    private int next;
    private boolean malformed;

    private int start = -1;
    private int headerLength;
    private int fragmentLength;
    private int firstByte;
    private int epoch;
    private long sequenceNumber;
    private int connectionIdOffset = -1;

    /** A cursor for DTLS 1.0/1.2 records and connection-ID records with an empty connection ID. */
    public DtlsRecordCursor() {
        this(0, false);
    }

    /**
     * A cursor for the records of a side that receives connection IDs of
     * {@code connectionIdLength} bytes (0 when it uses none).
     *
     * @param unifiedHeaders whether DTLS 1.3 unified headers are read; when false, a first
     *        byte of the form {@code 001xxxxx} is malformed, as it is in DTLS 1.2
     * @param connectionIdLength the length of the connection IDs this side receives, 0 to 255
     * @throws IllegalArgumentException if the length is outside 0..255 (RFC 9146 section 3)
     */
    public DtlsRecordCursor(int connectionIdLength, boolean unifiedHeaders) {
        if (connectionIdLength < 0 || connectionIdLength > 255) {
            throw new IllegalArgumentException("a connection ID is 0 to 255 bytes long, not " + connectionIdLength);
        }
        this.connectionIdLength = connectionIdLength;
        this.unifiedHeaders = unifiedHeaders;
    }

    /**
     * Starts over at the first record of {@code datagram}, from its position to its limit.
     * The cursor reads the buffer until the next reset, so it must not change meanwhile.
     *
     * @param datagram the datagram to walk, from position to limit; neither is moved
     * @return this cursor, to call {@link #next()} or {@link #count} on
     */
    public DtlsRecordCursor reset(ByteBuffer datagram) {
        buffer = datagram;
        next = datagram.position();
        end = datagram.limit();
        malformed = next >= end;
        start = -1;
        return this;
    }

    /**
     * Moves to the next record.
     *
     * @return true if there is one and its header is whole and its length fits the datagram;
     *         false at the end of the datagram or when the rest is not a record, which
     *         {@link #malformed()} then tells
     */
    public boolean next() {
        if (malformed || next >= end) {
            start = -1;
            return false;
        }
        int at = next;
        int first = DtlsRecords.u8(buffer, at);
        boolean ok = (first & UNIFIED_MASK) == UNIFIED_FIXED_BITS ? unified(at, first) : classic(at, first);
        if (!ok || fragmentLength > end - at - headerLength || fragmentLength > DtlsRecords.MAX_FRAGMENT_LENGTH) {
            malformed = true;
            start = -1;
            return false;
        }
        start = at;
        firstByte = first;
        next = at + headerLength + fragmentLength;
        return true;
    }

    private boolean classic(int at, int type) {
        if (type >= UNIFIED_FIXED_BITS) {
            return false;
        }
        int cid = type == DtlsRecords.TLS12_CID ? connectionIdLength : 0;
        headerLength = DtlsRecords.HEADER_SIZE + cid;
        if (end - at < headerLength || DtlsRecords.u8(buffer, at + 1) != DTLS_MAJOR_VERSION) {
            return false;
        }
        epoch = DtlsRecords.epoch(buffer, at);
        sequenceNumber = DtlsRecords.sequenceNumber(buffer, at);
        connectionIdOffset = type == DtlsRecords.TLS12_CID ? at + 11 : -1;
        fragmentLength = DtlsRecords.u16(buffer, at + 11 + cid);
        return true;
    }

    private boolean unified(int at, int flags) {
        if (!unifiedHeaders) {
            return false;
        }
        int cid = (flags & UNIFIED_CID) != 0 ? connectionIdLength : 0;
        int sequenceLength = (flags & UNIFIED_SEQUENCE_16) != 0 ? 2 : 1;
        boolean hasLength = (flags & UNIFIED_LENGTH) != 0;
        headerLength = 1 + cid + sequenceLength + (hasLength ? 2 : 0);
        if (end - at < headerLength) {
            return false;
        }
        epoch = flags & UNIFIED_EPOCH;
        connectionIdOffset = (flags & UNIFIED_CID) != 0 ? at + 1 : -1;
        int s = at + 1 + cid;
        sequenceNumber = sequenceLength == 2 ? DtlsRecords.u16(buffer, s) : DtlsRecords.u8(buffer, s);
        fragmentLength = hasLength ? DtlsRecords.u16(buffer, s + sequenceLength) : end - at - headerLength;
        return true;
    }

    /**
     * Walks every record from the current one to the end of the datagram and counts them,
     * if each is well framed and, for a record with the 13-byte header, has a content type
     * from {@link DtlsRecords#CHANGE_CIPHER_SPEC} to {@code highestContentType} and an
     * epoch no higher than {@code highestEpoch}.
     *
     * @param highestContentType the highest content type accepted in a 13-byte header
     * @param highestEpoch the highest epoch accepted in a 13-byte header
     * @return how many records there are, or 0 if the datagram is empty or any record
     *         breaks these rules
     */
    public int count(int highestContentType, int highestEpoch) {
        return count(highestContentType, highestEpoch, 0);
    }

    /**
     * As {@link #count(int, int)}, and also 0 if any protected record (a unified header, or an
     * epoch above 0) has a fragment shorter than {@code minimumProtectedLength}: it cannot
     * authenticate ({@link DtlsRecords#minimumProtectedLength(String)}).
     *
     * @param highestContentType the highest content type accepted in a 13-byte header
     * @param highestEpoch the highest epoch accepted in a 13-byte header
     * @param minimumProtectedLength the shortest fragment a protected record may have; 0 for no limit
     * @return how many records there are, or 0 if the datagram is empty or any record
     *         breaks these rules
     */
    public int count(int highestContentType, int highestEpoch, int minimumProtectedLength) {
        int records = 0;
        while (next()) {
            if (!isUnified() && (firstByte < DtlsRecords.CHANGE_CIPHER_SPEC || firstByte > highestContentType
                    || epoch > highestEpoch)) {
                malformed = true;
                return 0;
            }
            if ((isUnified() || epoch > 0) && fragmentLength < minimumProtectedLength) {
                malformed = true;
                return 0;
            }
            records++;
        }
        return malformed ? 0 : records;
    }

    /** {@return whether the walk stopped because the rest of the datagram is not a record} */
    public boolean malformed() {
        return malformed;
    }

    /** {@return where the current record starts in the buffer} */
    public int start() {
        requireRecord();
        return start;
    }

    /**
     * {@return the current record's header length: 13, plus the connection ID of a tls12_cid
     * record; 2 to 5 plus the connection ID for a unified header}
     */
    public int headerLength() {
        requireRecord();
        return headerLength;
    }

    /**
     * {@return where the current record's fragment (its protected or plaintext body) starts in the buffer}
     */
    public int fragmentStart() {
        requireRecord();
        return start + headerLength;
    }

    /** {@return the length of the current record's fragment} */
    public int fragmentLength() {
        requireRecord();
        return fragmentLength;
    }

    /** {@return where the current record ends in the buffer (exclusive): the next one's start} */
    public int end() {
        requireRecord();
        return start + headerLength + fragmentLength;
    }

    /** {@return whether the current record has a DTLS 1.3 unified header} */
    public boolean isUnified() {
        requireRecord();
        return (firstByte & UNIFIED_MASK) == UNIFIED_FIXED_BITS;
    }

    /**
     * {@return the current record's content type; for a unified header, whose real type is inside the
     * protected fragment, its first byte ({@code 001CSLEE})}
     */
    public int contentType() {
        requireRecord();
        return firstByte;
    }

    /**
     * {@return the current record's version bytes (such as {@code 0xfefd}), or 0 for a unified
     * header, which has none}
     */
    public int version() {
        requireRecord();
        return isUnified() ? 0 : DtlsRecords.version(buffer, start);
    }

    /** {@return the current record's epoch; for a unified header only its two low bits} */
    public int epoch() {
        requireRecord();
        return epoch;
    }

    /**
     * {@return the current record's sequence number: all 48 bits of a 13-byte header; for a unified
     * header the 8 or 16 low bits as they stand on the wire (still encrypted, RFC 9147
     * section 4.2.3)}
     */
    public long sequenceNumber() {
        requireRecord();
        return sequenceNumber;
    }

    /**
     * {@return whether the current record carries a connection ID (a tls12_cid record, or a unified
     * header with the C bit)}
     */
    public boolean hasConnectionId() {
        requireRecord();
        return connectionIdOffset >= 0;
    }

    /**
     * {@return where the current record's connection ID starts in the buffer; it is as long as this
     * cursor was made for}
     */
    public int connectionIdStart() {
        requireRecord();
        if (connectionIdOffset < 0) {
            throw new IllegalStateException("the record carries no connection ID");
        }
        return connectionIdOffset;
    }

    /** {@return the connection ID length this cursor reads} */
    public int connectionIdLength() {
        return connectionIdLength;
    }

    private void requireRecord() {
        if (start < 0) {
            throw new IllegalStateException("no current record: call next() first and only while it returns true");
        }
    }
}
