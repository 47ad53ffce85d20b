package org.dtls4j.bouncycastle;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Just enough DTLS record parsing to drop malformed datagrams before BouncyCastle sees
 * them (so they are counted), to read a ClientHello's cookie, and to write a
 * HelloVerifyRequest. Stateless and thread-safe.
 */
final class Records {

    static final int HEADER = 13;
    private static final int HANDSHAKE_HEADER = 12;
    private static final int CONTENT_HANDSHAKE = 22;
    private static final int CONTENT_TLS12_CID = 25;

    private Records() {
    }

    /**
     * Whether the datagram is a sequence of whole DTLS records with known content types and
     * a DTLS version. Records with a connection ID are taken on trust (their header length
     * depends on the negotiated CID).
     */
    static boolean wellFormed(byte[] d) {
        int at = 0;
        if (d.length < HEADER) {
            return false;
        }
        while (at < d.length) {
            if (d.length - at < HEADER) {
                return false;
            }
            int type = d[at] & 0xff;
            if (type < 20 || type > CONTENT_TLS12_CID || (d[at + 1] & 0xff) != 0xfe) {
                return false;
            }
            if (type == CONTENT_TLS12_CID) {
                return true;
            }
            int length = ((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff);
            at += HEADER + length;
            if (at > d.length) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fields of an unfragmented ClientHello alone in its datagram's first record.
     *
     * @param recordSequence the record's 48-bit sequence number
     * @param message the handshake message: its 12-byte header and the body, unchanged
     * @param cookie the cookie, empty if none
     * @param parameters what a cookie binds: the body before the cookie, then the cipher suites
     *        and compression methods
     */
    record ClientHello(long recordSequence, int messageSeq, byte[] message, byte[] cookie, byte[] parameters) {

        static Optional<ClientHello> parse(byte[] d) {
            try {
                return Optional.ofNullable(parseOrNull(d));
            } catch (IndexOutOfBoundsException | IllegalArgumentException truncated) {
                return Optional.empty();
            }
        }

        private static ClientHello parseOrNull(byte[] d) {
            if (d.length < HEADER + HANDSHAKE_HEADER + 2 + 32 + 2 || d[0] != CONTENT_HANDSHAKE
                    || d[3] != 0 || d[4] != 0 || d[HEADER] != 1) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(d);
            int recordLength = b.getShort(11) & 0xffff;
            if (HEADER + recordLength > d.length) {
                return null;
            }
            long seq = ((b.getShort(5) & 0xffffL) << 32) | (b.getInt(7) & 0xffffffffL);
            int length = uint24(d, HEADER + 1);
            int messageSeq = b.getShort(HEADER + 4) & 0xffff;
            int fragmentOffset = uint24(d, HEADER + 6);
            int fragmentLength = uint24(d, HEADER + 9);
            if (fragmentOffset != 0 || fragmentLength != length || HANDSHAKE_HEADER + length > recordLength) {
                return null; // fragmented: the listener and this session take only whole ones
            }
            int body = HEADER + HANDSHAKE_HEADER;
            int at = body + 2 + 32;
            int sessionId = d[at] & 0xff;
            int cookieAt = at + 1 + sessionId;
            int cookieLength = d[cookieAt] & 0xff;
            int end = body + length;
            if (cookieAt + 1 + cookieLength > end) {
                return null;
            }
            byte[] message = Arrays.copyOfRange(d, HEADER, end);
            byte[] cookie = Arrays.copyOfRange(d, cookieAt + 1, cookieAt + 1 + cookieLength);
            // The bound parameters, as the api's listener binds them: everything before the
            // cookie, then the cipher suites and compression methods (not the extensions).
            int suitesAt = cookieAt + 1 + cookieLength;
            int suitesLength = ((d[suitesAt] & 0xff) << 8) | (d[suitesAt + 1] & 0xff);
            int compressionAt = suitesAt + 2 + suitesLength;
            int paramsEnd = compressionAt + 1 + (d[compressionAt] & 0xff);
            if (paramsEnd > end) {
                return null;
            }
            byte[] without = new byte[(cookieAt - body) + (paramsEnd - suitesAt)];
            System.arraycopy(d, body, without, 0, cookieAt - body);
            System.arraycopy(d, suitesAt, without, cookieAt - body, paramsEnd - suitesAt);
            return new ClientHello(seq, messageSeq, message, cookie, without);
        }

        /** Whether the datagram starts with a fragment of an epoch-0 ClientHello. */
        static boolean isFragment(byte[] d) {
            return d.length >= HEADER + HANDSHAKE_HEADER && d[0] == CONTENT_HANDSHAKE && d[3] == 0 && d[4] == 0
                    && d[HEADER] == 1 && uint24(d, HEADER + 9) != uint24(d, HEADER + 1);
        }

        ByteBuffer parametersBuffer() {
            return ByteBuffer.wrap(parameters).asReadOnlyBuffer();
        }
    }

    /**
     * A HelloVerifyRequest (RFC 6347 section 4.2.1): server_version DTLS 1.0, the cookie,
     * message_seq 0, and the ClientHello's record sequence number.
     */
    static byte[] helloVerifyRequest(long recordSequence, byte[] cookie) {
        int body = 2 + 1 + cookie.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + HANDSHAKE_HEADER + body);
        b.put((byte) CONTENT_HANDSHAKE).putShort((short) 0xfeff).putShort((short) 0);
        b.putShort((short) (recordSequence >>> 32)).putInt((int) recordSequence);
        b.putShort((short) (HANDSHAKE_HEADER + body));
        b.put((byte) 3).put((byte) 0).putShort((short) body).putShort((short) 0);
        b.put((byte) 0).putShort((short) 0).put((byte) 0).putShort((short) body);
        b.putShort((short) 0xfeff).put((byte) cookie.length).put(cookie);
        return b.array();
    }

    private static int uint24(byte[] d, int at) {
        return ((d[at] & 0xff) << 16) | ((d[at + 1] & 0xff) << 8) | (d[at + 2] & 0xff);
    }
}
