package org.dtls4j.interop;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.dtls4j.spi.DtlsRecords;

/**
 * What an attacker on the path does to a version negotiation, and what it can see: rewrites a
 * ClientHello's supported_versions extension (RFC 8446 section 4.2.1) so that it offers DTLS 1.2
 * only, and reads a ServerHello's random, where a server that speaks 1.3 and negotiates 1.2
 * leaves the downgrade sentinel (RFC 8446 section 4.1.3). Epoch-0 records only, which are not
 * protected, so the lengths can be fixed up. Stateless.
 */
final class HelloTampering {

    /** The last eight bytes of a ServerHello random from a 1.3 server that negotiated 1.2: "DOWNGRD" 01. */
    static final byte[] DOWNGRADE_TO_1_2 = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};

    private static final int RECORD_HEADER = DtlsRecords.HEADER_SIZE;
    private static final int HANDSHAKE_HEADER = DtlsRecords.HANDSHAKE_HEADER_SIZE;
    private static final int HANDSHAKE = DtlsRecords.HANDSHAKE;
    private static final int CLIENT_HELLO = DtlsRecords.CLIENT_HELLO;
    private static final int SERVER_HELLO = 2;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int RANDOM = 32;

    private HelloTampering() {
    }

    /**
     * {@code datagram} with the supported_versions of its ClientHello cut down to DTLS 1.2, if
     * it starts with a whole epoch-0 ClientHello that has the extension; otherwise unchanged.
     */
    static byte[] offerOnlyDtls12(byte[] datagram) {
        int body = helloBody(datagram, CLIENT_HELLO);
        if (body < 0) {
            return datagram;
        }
        ByteBuffer d = ByteBuffer.wrap(datagram);
        int p = body + 2 + RANDOM;
        p += 1 + DtlsRecords.u8(d, p); // session_id
        p += 1 + DtlsRecords.u8(d, p); // cookie
        p += 2 + DtlsRecords.u16(d, p); // cipher_suites
        p += 1 + DtlsRecords.u8(d, p); // compression_methods
        int extensionsLength = p;
        int end = p + 2 + DtlsRecords.u16(d, p);
        for (p += 2; p + 4 <= end && end <= datagram.length; p += 4 + DtlsRecords.u16(d, p + 2)) {
            if (DtlsRecords.u16(d, p) != SUPPORTED_VERSIONS) {
                continue;
            }
            int oldLength = DtlsRecords.u16(d, p + 2);
            byte[] only12 = {2, (byte) 0xfe, (byte) 0xfd};
            int delta = only12.length - oldLength;
            byte[] out = new byte[datagram.length + delta];
            System.arraycopy(datagram, 0, out, 0, p + 4);
            System.arraycopy(only12, 0, out, p + 4, only12.length);
            System.arraycopy(datagram, p + 4 + oldLength, out, p + 4 + only12.length, datagram.length - p - 4 - oldLength);
            ByteBuffer o = ByteBuffer.wrap(out);
            o.putShort(p + 2, (short) only12.length);
            o.putShort(extensionsLength, (short) (DtlsRecords.u16(o, extensionsLength) + delta));
            int hs = RECORD_HEADER;
            put24(o, hs + 1, DtlsRecords.u24(o, hs + 1) + delta); // message length
            put24(o, hs + 9, DtlsRecords.u24(o, hs + 9) + delta); // fragment length
            o.putShort(11, (short) (DtlsRecords.u16(o, 11) + delta)); // record length
            return out;
        }
        return datagram;
    }

    /** The random of the ServerHello that {@code datagram} starts with, if it does (epoch 0, whole). */
    static Optional<byte[]> serverRandom(byte[] datagram) {
        int body = helloBody(datagram, SERVER_HELLO);
        return body < 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(datagram, body + 2, body + 2 + RANDOM));
    }

    /** Whether a ServerHello random ends with the sentinel of a 1.3 server that negotiated 1.2. */
    static boolean hasDowngradeSentinel(byte[] random) {
        return Arrays.equals(random, RANDOM - DOWNGRADE_TO_1_2.length, RANDOM, DOWNGRADE_TO_1_2, 0,
                DOWNGRADE_TO_1_2.length);
    }

    /** Where the body of an unfragmented epoch-0 handshake message of {@code type} starts, or -1. */
    private static int helloBody(byte[] datagram, int type) {
        if (datagram.length < RECORD_HEADER + HANDSHAKE_HEADER + 2 + RANDOM) {
            return -1;
        }
        ByteBuffer d = ByteBuffer.wrap(datagram);
        int hs = RECORD_HEADER;
        boolean whole = DtlsRecords.u8(d, 0) == HANDSHAKE && DtlsRecords.u16(d, 3) == 0 && DtlsRecords.u8(d, hs) == type && DtlsRecords.u24(d, hs + 6) == 0
                && DtlsRecords.u24(d, hs + 9) == DtlsRecords.u24(d, hs + 1) && RECORD_HEADER + DtlsRecords.u16(d, 11) <= datagram.length;
        return whole ? hs + HANDSHAKE_HEADER : -1;
    }

    private static void put24(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 16));
        b.putShort(i + 1, (short) v);
    }
}
