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
 * methods) must all lie within it. A reader is reused for every datagram of one loop: not
 * thread-safe.
 *
 * <p>The api's {@code DtlsServer} uses it to run the cookie exchange; a provider uses
 * {@link #verifiedCookie} to recognise, exactly as the listener did, the ClientHello whose
 * cookie the listener verified before it created the session.
 *
 * @since 0.1
 */
public final class ClientHellos {

    /** The length of a DTLS record header. */
    public static final int RECORD_HEADER = 13;
    /** The length of a DTLS handshake message header. */
    public static final int HANDSHAKE_HEADER = 12;
    private static final int CONTENT_HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int HELLO_VERIFY_REQUEST = 3;

    /** Why a datagram was not a usable ClientHello. */
    public enum Verdict {
        CLIENT_HELLO,
        MALFORMED,
        NOT_HANDSHAKE,
        BAD_VERSION,
        NOT_EPOCH_ZERO,
        NOT_CLIENT_HELLO,
        NOT_FIRST_FRAGMENT,
        TRUNCATED
    }

    private final byte[] params = new byte[2 + 32 + 33 + 2 + 65535 + 256];
    private int paramsLength;
    private int cookieOffset;
    private int cookieLength;
    private int messageSeq;
    private long recordSequence;
    private int datagramLength;

    /** Reads {@code datagram} from position to limit without moving either. */
    public Verdict read(ByteBuffer datagram) {
        int p = datagram.position();
        int end = datagram.limit();
        datagramLength = end - p;
        if (end - p < RECORD_HEADER) {
            return Verdict.MALFORMED;
        }
        if (u8(datagram, p) != CONTENT_HANDSHAKE) {
            return Verdict.NOT_HANDSHAKE;
        }
        int version = u16(datagram, p + 1);
        if (version != 0xfefd && version != 0xfeff) {
            return Verdict.BAD_VERSION;
        }
        if (u16(datagram, p + 3) != 0) {
            return Verdict.NOT_EPOCH_ZERO;
        }
        recordSequence = ((long) u16(datagram, p + 5) << 32) | (u16(datagram, p + 7) & 0xffffL) << 16 | u16(datagram, p + 9);
        int recordLength = u16(datagram, p + 11);
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
        if (fragmentOffset != 0) {
            return Verdict.NOT_FIRST_FRAGMENT;
        }
        int hello = body + HANDSHAKE_HEADER;
        if (fragmentLength > recordEnd - hello || fragmentLength > messageLength) {
            return Verdict.MALFORMED;
        }
        int helloEnd = hello + fragmentLength;
        // client_version, random
        int q = hello + 2 + 32;
        if (q + 1 > helloEnd) {
            return Verdict.TRUNCATED;
        }
        int sessionIdLength = u8(datagram, q);
        if (sessionIdLength > 32) {
            return Verdict.MALFORMED;
        }
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
        datagram.get(hello, params, 0, beforeCookie);
        datagram.get(afterCookie, params, beforeCookie, q - afterCookie);
        paramsLength = beforeCookie + (q - afterCookie);
        return Verdict.CLIENT_HELLO;
    }

    /**
     * The cookie of the ClientHello that starts {@code datagram}, if the configuration's
     * {@link org.dtls4j.CookieAuthority} verifies it for {@code client} over the same fields
     * the listener binds; empty otherwise (no ClientHello, no cookie, or a bad one).
     */
    public static Optional<byte[]> verifiedCookie(DtlsConfig config, InetSocketAddress client, ByteBuffer datagram) {
        ClientHellos reader = new ClientHellos();
        if (reader.read(datagram) != Verdict.CLIENT_HELLO || !reader.hasCookie()) {
            return Optional.empty();
        }
        byte[] cookie = reader.cookie(datagram);
        return config.cookieAuthority().verify(client, reader.parameters(), cookie) ? Optional.of(cookie) : Optional.empty();
    }

    /** The fields the cookie binds, as read by the last successful {@link #read}. */
    public ByteBuffer parameters() {
        return ByteBuffer.wrap(params, 0, paramsLength);
    }

    /** Whether the last ClientHello carried a cookie. */
    public boolean hasCookie() {
        return cookieLength > 0;
    }

    /** The last ClientHello's cookie. */
    public byte[] cookie(ByteBuffer datagram) {
        byte[] c = new byte[cookieLength];
        datagram.get(datagram.position() + cookieOffset, c);
        return c;
    }

    /** The handshake message_seq of the last ClientHello. */
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
        out.put((byte) CONTENT_HANDSHAKE).putShort((short) 0xfeff).putShort((short) 0);
        out.putShort((short) (recordSequence >>> 32)).putInt((int) recordSequence);
        out.putShort((short) (HANDSHAKE_HEADER + bodyLength));
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
     * Whether a datagram from a known peer starts with an epoch-0 ClientHello: a client that
     * restarted on the same address and port (RFC 6347 section 4.2.8).
     */
    public static boolean startsWithClientHello(ByteBuffer d) {
        int p = d.position();
        return d.limit() - p >= RECORD_HEADER + 1 && u8(d, p) == CONTENT_HANDSHAKE && u16(d, p + 3) == 0
                && u8(d, p + RECORD_HEADER) == CLIENT_HELLO;
    }

    private static void put24(ByteBuffer b, int v) {
        b.put((byte) (v >>> 16)).putShort((short) v);
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    private static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    private static int u24(ByteBuffer b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }
}
