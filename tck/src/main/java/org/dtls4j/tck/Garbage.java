package org.dtls4j.tck;

import java.util.Random;

/**
 * Datagrams no correct peer sends: random bytes, broken record headers, truncated and
 * mislabelled copies of real datagrams, and records that fail authentication.
 */
final class Garbage {

    static final int KINDS = 9;

    private Garbage() {
    }

    /** A garbage datagram of the given kind, derived from {@code real} where the kind needs one. */
    static byte[] make(int kind, byte[] real, Random random) {
        switch (kind % KINDS) {
            case 0:
                return new byte[0];
            case 1:
                return new byte[] {(byte) random.nextInt()};
            case 2: {
                byte[] b = new byte[1 + random.nextInt(200)];
                random.nextBytes(b);
                return b;
            }
            case 3: // a handshake record header whose length runs past the datagram
                return header(22, 0xfefd, 0, random.nextInt(1 << 16), 500, 20, random);
            case 4: // an unknown content type
                return header(99, 0xfefd, 0, 1, 20, 20, random);
            case 5: // a TLS, not DTLS, version
                return header(22, 0x0303, 0, 1, 20, 20, random);
            case 6: { // a real datagram cut in half
                int n = Math.max(1, real.length / 2);
                byte[] b = new byte[n];
                System.arraycopy(real, 0, b, 0, Math.min(n, real.length));
                return b;
            }
            case 7: // application data in epoch 1 with a random body: fails authentication
                return header(23, 0xfefd, 1, random.nextInt(1 << 16), 48, 48, random);
            default: { // a real datagram relabelled to a far-future epoch
                byte[] b = real.clone();
                if (b.length >= 5) {
                    b[3] = 0x12;
                    b[4] = 0x34;
                }
                return b;
            }
        }
    }

    private static byte[] header(int type, int version, int epoch, int seq, int declaredLength, int bodyLength,
                                 Random random) {
        byte[] b = new byte[13 + bodyLength];
        random.nextBytes(b);
        b[0] = (byte) type;
        b[1] = (byte) (version >> 8);
        b[2] = (byte) version;
        b[3] = (byte) (epoch >> 8);
        b[4] = (byte) epoch;
        b[5] = 0;
        b[6] = 0;
        b[7] = 0;
        b[8] = 0;
        b[9] = (byte) (seq >> 8);
        b[10] = (byte) seq;
        b[11] = (byte) (declaredLength >> 8);
        b[12] = (byte) declaredLength;
        return b;
    }

    /**
     * A record forged on the header of {@code real} (a protected record the client just sent):
     * the same epoch, a fresh sequence number, content type {@code type} (in a 13-byte header;
     * a DTLS 1.3 unified header has none in clear), and a random body of {@code length} bytes,
     * too short for any AEAD suite's nonce and tag. Null if {@code real}'s header cannot be read.
     */
    static byte[] shortRecord(byte[] real, int type, int length, Random random) {
        int first = real.length > 0 ? real[0] & 0xff : 0;
        int header;
        int lengthAt;
        if ((first & 0xe0) == 0x20) {               // unified header: 001CSLEE, no connection ID here
            if ((first & 0x10) != 0) {
                return null;
            }
            int seqBytes = (first & 0x08) != 0 ? 2 : 1;
            lengthAt = (first & 0x04) != 0 ? 1 + seqBytes : -1;
            header = 1 + seqBytes + (lengthAt < 0 ? 0 : 2);
        } else {
            header = 13;
            lengthAt = 11;
        }
        if (real.length < header) {
            return null;
        }
        byte[] b = new byte[header + length];
        System.arraycopy(real, 0, b, 0, header);
        byte[] body = new byte[length];
        random.nextBytes(body);
        System.arraycopy(body, 0, b, header, length);
        if (header == 13) {
            b[0] = (byte) type;
            b[5] = 0x40;                             // a sequence number far above the real one's
        }
        if (lengthAt > 0) {
            b[lengthAt] = (byte) (length >> 8);
            b[lengthAt + 1] = (byte) length;
        }
        return b;
    }
}
