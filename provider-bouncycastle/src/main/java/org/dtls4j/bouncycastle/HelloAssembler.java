package org.dtls4j.bouncycastle;

import java.util.Arrays;
import java.util.Optional;
import org.dtls4j.spi.DtlsRecords;

/**
 * Reassembles a server's first ClientHello when a small {@code maxDatagramSize} made the
 * client fragment it (bctls 1.84 only continues from a whole one), into one datagram that
 * holds it unfragmented. Bounded: one message of at most {@value #MAX_MESSAGE} bytes.
 *
 * <p>Not thread-safe: used under its session's lock.
 */
final class HelloAssembler {

    /** The largest ClientHello body reassembled. */
    static final int MAX_MESSAGE = 16384;

    private int messageSeq = -1;
    private byte[] body;
    private boolean[] have;
    private int missing;
    private byte[] recordHeader;

    /**
     * Takes a datagram that may carry ClientHello fragments.
     *
     * @return a datagram with the whole ClientHello in one record, once every byte is in
     */
    Optional<byte[]> add(byte[] d) {
        int at = 0;
        while (at + DtlsRecords.HEADER_SIZE + 12 <= d.length) {
            int recordLength = ((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff);
            int end = at + DtlsRecords.HEADER_SIZE + recordLength;
            if (end > d.length || d[at] != 22 || d[at + 3] != 0 || d[at + 4] != 0 || d[at + DtlsRecords.HEADER_SIZE] != 1) {
                return Optional.empty();
            }
            int h = at + DtlsRecords.HEADER_SIZE;
            int length = uint24(d, h + 1);
            int seq = ((d[h + 4] & 0xff) << 8) | (d[h + 5] & 0xff);
            int offset = uint24(d, h + 6);
            int fragment = uint24(d, h + 9);
            if (length > MAX_MESSAGE || offset + fragment > length || h + 12 + fragment > end) {
                return Optional.empty();
            }
            if (seq != messageSeq || body == null || body.length != length) {
                messageSeq = seq;
                body = new byte[length];
                have = new boolean[length];
                missing = length;
                recordHeader = null;
            }
            for (int i = 0; i < fragment; i++) {
                if (!have[offset + i]) {
                    have[offset + i] = true;
                    body[offset + i] = d[h + 12 + i];
                    missing--;
                }
            }
            if (offset == 0) {
                recordHeader = Arrays.copyOfRange(d, at, at + DtlsRecords.HEADER_SIZE);
            }
            at = end;
        }
        if (body == null || missing > 0 || recordHeader == null) {
            return Optional.empty();
        }
        byte[] out = new byte[DtlsRecords.HEADER_SIZE + 12 + body.length];
        System.arraycopy(recordHeader, 0, out, 0, DtlsRecords.HEADER_SIZE);
        int recordLength = 12 + body.length;
        out[11] = (byte) (recordLength >> 8);
        out[12] = (byte) recordLength;
        int h = DtlsRecords.HEADER_SIZE;
        out[h] = 1;
        put24(out, h + 1, body.length);
        out[h + 4] = (byte) (messageSeq >> 8);
        out[h + 5] = (byte) messageSeq;
        put24(out, h + 6, 0);
        put24(out, h + 9, body.length);
        System.arraycopy(body, 0, out, h + 12, body.length);
        body = null;
        messageSeq = -1;
        return Optional.of(out);
    }

    private static int uint24(byte[] d, int at) {
        return ((d[at] & 0xff) << 16) | ((d[at + 1] & 0xff) << 8) | (d[at + 2] & 0xff);
    }

    private static void put24(byte[] d, int at, int v) {
        d[at] = (byte) (v >> 16);
        d[at + 1] = (byte) (v >> 8);
        d[at + 2] = (byte) v;
    }
}
