package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecords;

/**
 * Copies of a ClientHello as a fresh JSSE server engine needs them.
 *
 * <p>A new engine waits for message_seq 0 and ignores anything else, and it always runs its
 * own cookie exchange. Our UDP listener creates a server session only when a ClientHello
 * with a verified cookie arrives (message_seq 1). Normally that cookie is JSSE's own
 * ({@link JsseCookies}, which answers {@link #asFirstHello} copies): the session first feeds
 * the engine the cookie-less copy the client's first ClientHello was ({@link #withoutCookie}:
 * message_seq 0, record sequence number one lower) and drops the HelloVerifyRequest JSSE
 * answers; then it feeds the real ClientHello, which JSSE accepts.
 *
 * <p>Where the listener had to send its own cookie (JSSE made none for the first ClientHello,
 * or the listener no longer knew the one it sent), JSSE finds that cookie not its own and
 * answers with a second HelloVerifyRequest (message_seq 1); the client answers with a
 * ClientHello carrying JSSE's cookie (message_seq 2): one
 * extra round trip, and clients that expect ServerHello message_seq 1 after any
 * HelloVerifyRequest (bctls) cannot follow. Either way no JSSE state exists before the
 * listener's check has passed.
 *
 * <p>The parser accepts only one record holding one unfragmented ClientHello, every length
 * checked against the bytes that are really there. Anything else is left alone. A
 * ClientHello the client fragmented is first reassembled into that shape
 * ({@link ClientHelloReassembly}), except for its cookie: the listener has only the first
 * fragment, and {@link #fixedFieldsOnly} makes from it a first ClientHello with the same
 * cookie.
 *
 * <p>Stateless and thread-safe.
 */
final class ClientHelloRewriter {

    /** client_version (2) + random (32): the fixed start of a ClientHello body. */
    private static final int VERSION_AND_RANDOM = 34;
    private static final int MAX_SESSION_ID = 32;
    /**
     * The most cookie exchanges a joined ClientHello may follow (its message_seq). One is
     * the rule; a second follows a cookie that expired or was displaced on its way back.
     */
    static final int MAX_EXCHANGES = 4;

    private ClientHelloRewriter() {
    }

    /**
     * The cookie-less first ClientHello the client would have sent before
     * {@code datagram}, or null if {@code datagram} (from position to limit, not consumed)
     * is not a single ClientHello with a cookie and a message_seq above 0.
     */
    static ByteBuffer withoutCookie(ByteBuffer datagram) {
        return rewrite(datagram, true);
    }

    /**
     * The cookie-less ClientHellos the client sent before {@code datagram}, one for each
     * message_seq below its own, oldest first: a fresh engine must read every message_seq
     * from 0 on. Empty if {@code datagram} (from position to limit, not consumed) is not a
     * single ClientHello with a cookie and a message_seq from 1 to {@link #MAX_EXCHANGES},
     * or its record sequence number leaves no room for the earlier ones.
     */
    static List<ByteBuffer> earlierHellos(ByteBuffer datagram) {
        ByteBuffer first = withoutCookie(datagram);
        if (first == null) {
            return List.of();
        }
        int record = datagram.position();
        int messageSeq = u16(datagram, record + DtlsRecords.HEADER_SIZE + 4);
        long sequence = DtlsRecords.sequenceNumber(datagram, record);
        if (messageSeq > MAX_EXCHANGES || sequence < messageSeq) {
            return List.of();
        }
        List<ByteBuffer> out = new ArrayList<>(messageSeq);
        for (int i = 0; i < messageSeq; i++) {
            ByteBuffer copy = ByteBuffer.allocate(first.remaining()).put(first.duplicate()).flip();
            DtlsRecords.putSequenceNumber(copy, 0, sequence - messageSeq + i);
            putU16(copy, DtlsRecords.HEADER_SIZE + 4, i);
            out.add(copy);
        }
        return out;
    }

    /**
     * {@code datagram}'s ClientHello as a client's first one: no cookie, message_seq 0, the
     * same record sequence number; null if {@code datagram} (from position to limit, not
     * consumed) is not a single whole ClientHello. Its cookie, if any, is dropped, so a
     * fresh engine answers it with a HelloVerifyRequest and never with a ServerHello.
     */
    static ByteBuffer asFirstHello(ByteBuffer datagram) {
        return rewrite(datagram, false);
    }

    /**
     * A client's first ClientHello made of the fields that {@code reader} has just read from a
     * ClientHello's first fragment (client_version, random, session_id, cipher_suites,
     * compression_methods: {@link ClientHellos#parameters()}), with no cookie and no
     * extensions, in one record with the fragment's record header: message_seq 0. JDK 17's
     * DTLS cookie covers those fields alone, so a fresh engine answers this copy with the
     * cookie it will accept in the whole ClientHello.
     *
     * @param datagram the datagram {@code reader} read (from position to limit, not consumed)
     * @param reader a reader whose last {@link ClientHellos#read} of {@code datagram} answered
     *        {@link ClientHellos.Verdict#CLIENT_HELLO}
     */
    static ByteBuffer fixedFieldsOnly(ByteBuffer datagram, ClientHellos reader) {
        ByteBuffer params = reader.parameters();
        int start = params.position();
        int beforeCookie = VERSION_AND_RANDOM + 1 + (params.get(start + VERSION_AND_RANDOM) & 0xff);
        int bodyLength = params.remaining() + 1;
        int record = datagram.position();
        ByteBuffer out = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + bodyLength);
        DtlsRecords.putHeader(out, DtlsRecords.HANDSHAKE, DtlsRecords.version(datagram, record), 0,
                DtlsRecords.sequenceNumber(datagram, record), DtlsRecords.HANDSHAKE_HEADER_SIZE + bodyLength);
        out.put((byte) DtlsRecords.CLIENT_HELLO);
        out.put((byte) (bodyLength >>> 16)).putShort((short) bodyLength);
        out.putShort((short) 0); // message_seq
        out.put((byte) 0).putShort((short) 0); // fragment_offset
        out.put((byte) (bodyLength >>> 16)).putShort((short) bodyLength);
        out.put(params.duplicate().limit(start + beforeCookie));
        out.put((byte) 0); // no cookie
        out.put(params.duplicate().position(start + beforeCookie));
        return out.flip();
    }

    /**
     * @param followUp whether {@code datagram} must be a ClientHello that follows a
     *        HelloVerifyRequest (a cookie, message_seq and record sequence above 0); its
     *        copy then gets the record sequence number one lower
     */
    private static ByteBuffer rewrite(ByteBuffer datagram, boolean followUp) {
        int record = datagram.position();
        int end = datagram.limit();
        if (end - record < DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE) {
            return null;
        }
        if (DtlsRecords.contentType(datagram, record) != DtlsRecords.HANDSHAKE
                || DtlsRecords.epoch(datagram, record) != 0
                || DtlsRecords.recordSize(datagram, record) != end - record) {
            return null; // not exactly one epoch-0 handshake record
        }
        long sequence = DtlsRecords.sequenceNumber(datagram, record);
        if (followUp && sequence == 0) {
            return null; // no lower sequence number to give the copy
        }

        int hs = record + DtlsRecords.HEADER_SIZE;
        int messageLength = u24(datagram, hs + 1);
        int messageSeq = u16(datagram, hs + 4);
        int fragmentOffset = u24(datagram, hs + 6);
        int fragmentLength = u24(datagram, hs + 9);
        if ((datagram.get(hs) & 0xff) != DtlsRecords.CLIENT_HELLO || (followUp && messageSeq == 0)
                || fragmentOffset != 0 || fragmentLength != messageLength
                || DtlsRecords.HANDSHAKE_HEADER_SIZE + messageLength != end - hs) {
            return null; // not one whole ClientHello that follows a HelloVerifyRequest
        }

        int body = hs + DtlsRecords.HANDSHAKE_HEADER_SIZE;
        int at = body + VERSION_AND_RANDOM;
        if (at + 1 > end) {
            return null;
        }
        int sessionIdLength = datagram.get(at) & 0xff;
        if (sessionIdLength > MAX_SESSION_ID) {
            return null;
        }
        at += 1 + sessionIdLength;
        if (at + 1 > end) {
            return null;
        }
        int cookieAt = at;
        int cookieLength = datagram.get(cookieAt) & 0xff;
        if ((followUp && cookieLength == 0) || cookieAt + 1 + cookieLength > end) {
            return null;
        }
        int afterCookie = cookieAt + 1 + cookieLength;

        // Copy everything but the cookie bytes, then fix the three lengths, the sequence
        // numbers and the cookie length.
        int newSize = end - record - cookieLength;
        ByteBuffer out = ByteBuffer.allocate(newSize);
        ByteBuffer src = datagram.duplicate();
        src.limit(cookieAt + 1).position(record);
        out.put(src);
        src.limit(end).position(afterCookie);
        out.put(src);
        out.flip();

        int newMessageLength = messageLength - cookieLength;
        DtlsRecords.putSequenceNumber(out, 0, followUp ? sequence - 1 : sequence);
        putU16(out, 11, DtlsRecords.length(datagram, record) - cookieLength);
        int outHs = DtlsRecords.HEADER_SIZE;
        putU24(out, outHs + 1, newMessageLength);
        putU16(out, outHs + 4, 0);
        putU24(out, outHs + 9, newMessageLength);
        out.put(cookieAt - record, (byte) 0);
        return out;
    }

    private static int u16(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
    }

    private static int u24(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 16) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) & 0xff);
    }

    private static void putU16(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 8));
        b.put(at + 1, (byte) v);
    }

    private static void putU24(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 16));
        b.put(at + 1, (byte) (v >>> 8));
        b.put(at + 2, (byte) v);
    }
}
