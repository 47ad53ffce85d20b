package org.dtls4j.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.dtls4j.DtlsConfig;

/**
 * Reads the first record of a datagram from an unknown peer as a DTLS ClientHello, with
 * every length checked against what is really there, and writes the HelloVerifyRequest
 * that answers it (RFC 6347 section 4.2.1).
 *
 * <p>Only the first fragment is inspected, as {@code DTLSv1_listen} does: the cookie and
 * the fields it binds (client version, random, session id, cipher suites, compression
 * methods) must all lie within it. A reader is reused for every datagram of one loop (the
 * listener's, or one server session's first datagrams); it grows only for a ClientHello
 * whose bound fields need more than a few hundred bytes: not thread-safe.
 *
 * <p>The api's {@code DtlsServer} uses it to run the cookie exchange; a provider uses
 * {@link #verifiedCookie} to recognise, exactly as the listener did, the ClientHello whose
 * cookie the listener verified before it created the session.
 *
 * @since 0.1
 */
public final class ClientHellos {

    private static final int RECORD_HEADER = DtlsRecords.HEADER_SIZE;
    private static final int HANDSHAKE_HEADER = DtlsRecords.HANDSHAKE_HEADER_SIZE;
    private static final int CLIENT_HELLO = DtlsRecords.CLIENT_HELLO;
    private static final int HELLO_VERIFY_REQUEST = DtlsRecords.HELLO_VERIFY_REQUEST;

    /** Why a datagram was not a usable ClientHello. */
    public enum Verdict {
        /** An epoch-0 ClientHello, whose fields this reader now holds. */
        CLIENT_HELLO,
        /** A handshake record whose lengths contradict each other or the datagram. */
        MALFORMED,
        /** A record of a content type other than handshake. */
        NOT_HANDSHAKE,
        /** The record's version field names no DTLS version. */
        BAD_VERSION,
        /** A record of an epoch other than 0: not the start of a new handshake. */
        NOT_EPOCH_ZERO,
        /** A handshake record that carries some other handshake message. */
        NOT_CLIENT_HELLO,
        /**
         * A ClientHello fragment that does not start at offset 0, which a listener cannot verify
         * alone.
         */
        NOT_FIRST_FRAGMENT,
        /** Shorter than a record header or than the lengths it gives. */
        TRUNCATED,
        /**
         * A ClientHello numbered above {@link #MAX_FIRST_MESSAGE_SEQ}: none a client sends to a
         * server that has not yet verified its cookie.
         */
        MESSAGE_SEQ_TOO_HIGH
    }

    /**
     * The highest message_seq of a ClientHello that may start a session: 0 for the first, 1
     * for the one that returns the listener's cookie, 2 after a second cookie (a backend's
     * own exchange, or a fresh cookie for an expired one). OpenSSL's {@code DTLSv1_listen}
     * draws the same line.
     */
    public static final int MAX_FIRST_MESSAGE_SEQ = 2;

    private static final int SUPPORTED_VERSIONS = 43;
    private static final int COOKIE = 44;
    private static final int DTLS_1_3 = 0xfefc;
    /** Enough for the bound parameters of an ordinary ClientHello; grown when one needs more. */
    private static final int INITIAL_PARAMETERS = 512;

    private byte[] params = new byte[INITIAL_PARAMETERS];
    private int paramsLength;
    private int cookieOffset;
    private int cookieLength;
    /** Where the session ID starts, from the datagram's position, and its length (0: none). */
    private int sessionIdOffset;
    private int sessionIdLength;
    private int messageSeq;
    private long recordSequence;
    private int datagramLength;
    private boolean offersDtls13;
    /** Where the cookie extension's cookie starts, from the datagram's position; -1 without one. */
    private int retryCookieOffset;
    private int retryCookieLength;
    private boolean fragmented;
    private boolean allExtensions;

    /** A reader that holds no ClientHello yet; {@link #read} gives it one. */
    public ClientHellos() {
    }

    /**
     * Reads {@code datagram} from position to limit without moving either.
     *
     * @param datagram a datagram as received, from position to limit; left unchanged
     * @return what the datagram starts with: {@link Verdict#CLIENT_HELLO} when it is an epoch-0
     *     ClientHello this reader now holds, otherwise why it is not one
     */
    public Verdict read(ByteBuffer datagram) {
        int p = datagram.position();
        int end = datagram.limit();
        datagramLength = end - p;
        sessionIdLength = 0;
        offersDtls13 = false;
        retryCookieOffset = -1;
        allExtensions = false;
        if (end - p < RECORD_HEADER) {
            return Verdict.MALFORMED;
        }
        if (DtlsRecords.contentType(datagram, p) != DtlsRecords.HANDSHAKE) {
            return Verdict.NOT_HANDSHAKE;
        }
        int version = DtlsRecords.version(datagram, p);
        if (version != 0xfefd && version != 0xfeff) {
            return Verdict.BAD_VERSION;
        }
        if (DtlsRecords.epoch(datagram, p) != 0) {
            return Verdict.NOT_EPOCH_ZERO;
        }
        recordSequence = DtlsRecords.sequenceNumber(datagram, p);
        int recordLength = DtlsRecords.length(datagram, p);
        int body = p + RECORD_HEADER;
        if (recordLength > end - body || recordLength < HANDSHAKE_HEADER) {
            return Verdict.MALFORMED;
        }
        int recordEnd = body + recordLength;
        if (u8(datagram, body) != CLIENT_HELLO) {
            return Verdict.NOT_CLIENT_HELLO;
        }
        int messageLength = u24(datagram, body + 1);
        messageSeq = u16(datagram, body + 4);
        int fragmentOffset = u24(datagram, body + 6);
        int fragmentLength = u24(datagram, body + 9);
        if (messageSeq > MAX_FIRST_MESSAGE_SEQ) {
            return Verdict.MESSAGE_SEQ_TOO_HIGH;
        }
        if (fragmentOffset != 0) {
            return Verdict.NOT_FIRST_FRAGMENT;
        }
        int hello = body + HANDSHAKE_HEADER;
        if (fragmentLength > recordEnd - hello || fragmentLength > messageLength) {
            return Verdict.MALFORMED;
        }
        int helloEnd = hello + fragmentLength;
        fragmented = fragmentLength < messageLength;
        // client_version, random
        int q = hello + 2 + 32;
        if (q + 1 > helloEnd) {
            return Verdict.TRUNCATED;
        }
        int sessionIdLength = u8(datagram, q);
        if (sessionIdLength > 32) {
            return Verdict.MALFORMED;
        }
        this.sessionIdOffset = q + 1 - p;
        this.sessionIdLength = sessionIdLength;
        q += 1 + sessionIdLength;
        if (q + 1 > helloEnd) {
            return Verdict.TRUNCATED;
        }
        int cookieLen = u8(datagram, q);
        if (q + 1 + cookieLen > helloEnd) {
            return Verdict.TRUNCATED;
        }
        int beforeCookie = q - hello;
        cookieOffset = q + 1 - p;
        cookieLength = cookieLen;
        q += 1 + cookieLen;
        int afterCookie = q;
        if (q + 2 > helloEnd) {
            return Verdict.TRUNCATED;
        }
        int suitesLength = u16(datagram, q);
        if (suitesLength < 2 || (suitesLength & 1) != 0) {
            return Verdict.MALFORMED;
        }
        q += 2 + suitesLength;
        if (q + 1 > helloEnd) {
            return Verdict.TRUNCATED;
        }
        int compressionLength = u8(datagram, q);
        if (compressionLength < 1) {
            return Verdict.MALFORMED;
        }
        q += 1 + compressionLength;
        if (q > helloEnd) {
            return Verdict.TRUNCATED;
        }
        // The bound parameters: everything before the cookie and everything from the cipher
        // suites through the compression methods.
        int needed = beforeCookie + (q - afterCookie);
        if (needed > params.length) {
            params = new byte[Math.max(needed, 2 * params.length)];
        }
        datagram.get(hello, params, 0, beforeCookie);
        datagram.get(afterCookie, params, beforeCookie, q - afterCookie);
        paramsLength = needed;
        readExtensions(datagram, p, q, helloEnd);
        return Verdict.CLIENT_HELLO;
    }

    /**
     * Reads what the listener needs of the extensions from {@code at}: whether
     * supported_versions lists DTLS 1.3 (RFC 8446 section 4.2.1, RFC 9147 section 5.3), and
     * where the cookie extension's cookie is (RFC 8446 section 4.2.2). Extensions that run past
     * the first fragment end the search; they are the backend's to judge.
     */
    private void readExtensions(ByteBuffer d, int p, int at, int helloEnd) {
        if (at + 2 > helloEnd) {
            allExtensions = at == helloEnd && !fragmented; // a ClientHello may have none
            return;
        }
        allExtensions = at + 2 + u16(d, at) <= helloEnd;
        int end = Math.min(helloEnd, at + 2 + u16(d, at));
        for (int e = at + 2; e + 4 <= end; e += 4 + u16(d, e + 2)) {
            int type = u16(d, e);
            int dataEnd = e + 4 + u16(d, e + 2);
            if (type == SUPPORTED_VERSIONS && e + 5 <= end) {
                int listEnd = Math.min(end, e + 5 + u8(d, e + 4));
                for (int v = e + 5; v + 2 <= listEnd; v += 2) {
                    offersDtls13 |= u16(d, v) == DTLS_1_3;
                }
            } else if (type == COOKIE && e + 6 <= end && dataEnd <= end) {
                int length = u16(d, e + 4);
                if (length > 0 && e + 6 + length == dataEnd) {
                    retryCookieOffset = e + 6 - p;
                    retryCookieLength = length;
                }
            }
        }
    }

    /**
     * {@return whether the last ClientHello offers DTLS 1.3 (lists it in supported_versions): a 1.3
     * ClientHello is a ClientHello like any other here, and this tells the listener whose
     * cookie exchange it needs (a 1.3 cookie travels in a HelloRetryRequest, not in a
     * HelloVerifyRequest)}
     */
    public boolean offersDtls13() {
        return offersDtls13;
    }

    /**
     * {@return whether the last ClientHello's extensions all lie within its first fragment, so that
     * {@link #offersDtls13()} and {@link #retryCookie} are its final word; a fragmented
     * ClientHello may carry them further on}
     */
    public boolean sawAllExtensions() {
        return allExtensions;
    }

    /** {@return whether the last ClientHello's first record holds only its first fragment} */
    public boolean isFragmented() {
        return fragmented;
    }

    /**
     * {@return the cookie the last ClientHello returns in its cookie extension (a DTLS 1.3 client
     * answering a HelloRetryRequest), as a read-only view of {@code datagram}; empty if it has
     * none within its first fragment}
     *
     * @param datagram the datagram of the last successful {@link #read}, unchanged since
     */
    public Optional<ByteBuffer> retryCookie(ByteBuffer datagram) {
        if (retryCookieOffset < 0) {
            return Optional.empty();
        }
        int at = datagram.position() + retryCookieOffset;
        return Optional.of(datagram.asReadOnlyBuffer().limit(at + retryCookieLength).position(at).slice());
    }

    /**
     * {@return the cookie of the ClientHello that starts {@code datagram}, if the configuration's
     * {@link org.dtls4j.CookieAuthority} verifies it for {@code client} over the same fields
     * the listener binds; empty otherwise (no ClientHello, no cookie, or a bad one)} This
     * reader holds that ClientHello afterwards.
     *
     * @param config the listener's configuration, whose cookie authority verifies
     * @param client the address the datagram came from, which the cookie must be bound to
     * @param datagram a datagram as received, from position to limit; left unchanged
     */
    public Optional<byte[]> verifiedCookie(DtlsConfig config, InetSocketAddress client, ByteBuffer datagram) {
        if (read(datagram) != Verdict.CLIENT_HELLO || !hasCookie()) {
            return Optional.empty();
        }
        byte[] cookie = cookie(datagram);
        return config.cookieAuthority().verify(client, parameters(), cookie) ? Optional.of(cookie) : Optional.empty();
    }

    /** {@return the fields the cookie binds, as read by the last successful {@link #read}} */
    public ByteBuffer parameters() {
        return ByteBuffer.wrap(params, 0, paramsLength);
    }

    /** {@return whether the last ClientHello carried a cookie} */
    public boolean hasCookie() {
        return cookieLength > 0;
    }

    /**
     * {@return the last ClientHello's cookie}
     *
     * @param datagram the datagram of the last successful {@link #read}, unchanged since
     */
    public byte[] cookie(ByteBuffer datagram) {
        byte[] c = new byte[cookieLength];
        datagram.get(datagram.position() + cookieOffset, c);
        return c;
    }

    /**
     * {@return the session ID the last ClientHello offers, empty for none} A DTLS 1.2 server
     * that answers with the same non-empty ID resumes the session (RFC 5246 section 7.4.1.3;
     * with a ticket, RFC 5077 section 3.4), whatever the client made the ID from.
     *
     * @param datagram the datagram of the last successful {@link #read}, unchanged since
     */
    public byte[] sessionId(ByteBuffer datagram) {
        byte[] id = new byte[sessionIdLength];
        datagram.get(datagram.position() + sessionIdOffset, id);
        return id;
    }

    /** {@return the handshake message_seq of the last ClientHello} */
    public int messageSeq() {
        return messageSeq;
    }

    /**
     * Writes the HelloVerifyRequest for the last ClientHello into {@code out} (cleared
     * first, flipped after). It echoes the ClientHello's record sequence number (RFC 6347
     * section 4.2.1) and its message_seq, as OpenSSL's {@code DTLSv1_listen} does: a client
     * whose cookie failed and who is sent through the exchange again takes a
     * HelloVerifyRequest numbered 0 for a copy of the one it already answered, and only
     * retransmits. It carries version DTLS 1.0, as the RFC recommends.
     *
     * @param cookie the cookie to send, at most 255 bytes (32 for DTLS 1.0 peers)
     * @param out the buffer the datagram is written to; it must hold at least the ClientHello's
     *     size
     * @return false, writing nothing, if the answer would be larger than the ClientHello
     *         (the exchange must never amplify)
     */
    public boolean writeHelloVerifyRequest(byte[] cookie, ByteBuffer out) {
        int bodyLength = 2 + 1 + cookie.length;
        int total = RECORD_HEADER + HANDSHAKE_HEADER + bodyLength;
        if (total > datagramLength) {
            return false;
        }
        out.clear();
        DtlsRecords.putHeader(out, DtlsRecords.HANDSHAKE, 0xfeff, 0, recordSequence, HANDSHAKE_HEADER + bodyLength);
        out.put((byte) HELLO_VERIFY_REQUEST);
        put24(out, bodyLength);
        out.putShort((short) messageSeq);
        put24(out, 0);
        put24(out, bodyLength);
        out.putShort((short) 0xfeff).put((byte) cookie.length).put(cookie);
        out.flip();
        return true;
    }

    /**
     * {@return whether a datagram from a known peer starts with an epoch-0 ClientHello: a client that
     * restarted on the same address and port (RFC 6347 section 4.2.8)}
     *
     * @param d a datagram as received, from position to limit; left unchanged
     */
    public static boolean startsWithClientHello(ByteBuffer d) {
        int p = d.position();
        return d.limit() - p >= RECORD_HEADER + 1 && DtlsRecords.contentType(d, p) == DtlsRecords.HANDSHAKE
                && DtlsRecords.epoch(d, p) == 0 && u8(d, p + RECORD_HEADER) == CLIENT_HELLO;
    }

    private static void put24(ByteBuffer b, int v) {
        b.put((byte) (v >>> 16)).putShort((short) v);
    }

    private static int u8(ByteBuffer b, int i) {
        return DtlsRecords.u8(b, i);
    }

    private static int u16(ByteBuffer b, int i) {
        return DtlsRecords.u16(b, i);
    }

    private static int u24(ByteBuffer b, int i) {
        return DtlsRecords.u24(b, i);
    }
}
