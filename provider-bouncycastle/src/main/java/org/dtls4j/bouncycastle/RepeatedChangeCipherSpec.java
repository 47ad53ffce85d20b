package org.dtls4j.bouncycastle;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.dtls4j.spi.DtlsRecords;

/**
 * Lets BouncyCastle see a byte-for-byte repeat of the peer's ChangeCipherSpec during the
 * handshake.
 *
 * <p>BouncyCastle's record layer marks a ChangeCipherSpec in its epoch-0 replay window even
 * when it arrived too early to act on (before the message that lets it derive the next
 * epoch's keys, say after reordering). A peer that retransmits its flight unchanged, with
 * the same record sequence numbers (dtls4j's JSSE provider does), then never gets its
 * ChangeCipherSpec through: every copy is a replay, the read epoch never advances, and the
 * handshake stalls until its timeout. Epoch-0 records are not authenticated, so a repeat
 * of a datagram that carries a ChangeCipherSpec gets fresh sequence numbers, just above the
 * highest this session has received in epoch 0. Retransmissions made properly, with new
 * sequence numbers, are never byte-for-byte repeats and pass unchanged.
 *
 * <p>Not thread-safe: used under its session's lock.
 */
final class RepeatedChangeCipherSpec {

    /** How many datagrams with a ChangeCipherSpec are remembered. */
    static final int KEPT = 8;
    private static final int CHANGE_CIPHER_SPEC = 20;

    private final ArrayDeque<byte[]> seen = new ArrayDeque<>();
    private long highestEpoch0 = -1;

    /** The datagram as BouncyCastle should see it: {@code d} itself, or a renumbered copy. */
    byte[] fresh(byte[] d) {
        boolean ccs = false;
        int at = 0;
        while (at + DtlsRecords.HEADER_SIZE <= d.length) {
            int length = ((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff);
            if (d[at + 3] == 0 && d[at + 4] == 0 && (d[at] & 0xff) != 25) {
                highestEpoch0 = Math.max(highestEpoch0, sequence(d, at));
                ccs |= (d[at] & 0xff) == CHANGE_CIPHER_SPEC;
            }
            at += DtlsRecords.HEADER_SIZE + length;
        }
        if (!ccs) {
            return d;
        }
        for (byte[] s : seen) {
            if (Arrays.equals(s, d)) {
                return renumbered(d);
            }
        }
        if (seen.size() == KEPT) {
            seen.removeFirst();
        }
        seen.addLast(d);
        return d;
    }

    private byte[] renumbered(byte[] d) {
        byte[] copy = d.clone();
        int at = 0;
        while (at + DtlsRecords.HEADER_SIZE <= copy.length) {
            int length = ((copy[at + 11] & 0xff) << 8) | (copy[at + 12] & 0xff);
            if (copy[at + 3] == 0 && copy[at + 4] == 0 && (copy[at] & 0xff) != 25) {
                long seq = ++highestEpoch0;
                for (int i = 10; i >= 5; i--) {
                    copy[at + i] = (byte) seq;
                    seq >>>= 8;
                }
            }
            at += DtlsRecords.HEADER_SIZE + length;
        }
        return copy;
    }

    private static long sequence(byte[] d, int at) {
        long s = 0;
        for (int i = 5; i < 11; i++) {
            s = (s << 8) | (d[at + i] & 0xff);
        }
        return s;
    }
}
