package org.dtls4j.bouncycastle;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.dtls4j.spi.ClientHellos;

/**
 * Just enough DTLS record parsing to drop malformed datagrams before BouncyCastle sees
 * them (so they are counted) and to take apart a ClientHello for a {@code DTLSRequest}; the
 * cookie and the fields it binds are read by the api's {@link ClientHellos}. Stateless and
 * thread-safe.
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
            // The cookie and the fields it binds come from the listener's own parser, so this
            // session verifies exactly what the api's DtlsServer bound.
            ClientHellos reader = new ClientHellos();
            ByteBuffer view = ByteBuffer.wrap(d);
            if (reader.read(view) != ClientHellos.Verdict.CLIENT_HELLO) {
                return null;
            }
            byte[] message = Arrays.copyOfRange(d, HEADER, HEADER + HANDSHAKE_HEADER + length);
            byte[] cookie = reader.hasCookie() ? reader.cookie(view) : new byte[0];
            ByteBuffer bound = reader.parameters();
            byte[] without = Arrays.copyOfRange(bound.array(), bound.position(), bound.limit());
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

    private static int uint24(byte[] d, int at) {
        return ((d[at] & 0xff) << 16) | ((d[at + 1] & 0xff) << 8) | (d[at + 2] & 0xff);
    }
}
