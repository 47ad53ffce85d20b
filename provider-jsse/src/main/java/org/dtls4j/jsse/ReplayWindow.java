package org.dtls4j.jsse;

/**
 * The anti-replay window of RFC 6347 section 4.1.2.6 for one direction: a bitmap of the
 * last 64 sequence numbers seen in the current epoch.
 *
 * <p>JDK 17's JSSE has none: it decrypts and delivers the same application record as
 * often as it is received. The session checks a record here before handing it to JSSE
 * and marks it only after JSSE has authenticated it, so that a forged record cannot burn
 * the sequence number of a genuine one. Records of an older epoch are JSSE's to discard;
 * a record of a newer epoch starts a fresh window once it is authenticated.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class ReplayWindow {

    static final int SIZE = 64;

    private int epoch = -1;
    private long highest = -1;
    /** Bit i set: sequence number {@code highest - i} has been accepted. */
    private long seen;

    /** Whether the record was already accepted, or is too old for the window to tell. */
    boolean isReplay(int recordEpoch, long sequence) {
        if (recordEpoch != epoch) {
            return false;
        }
        if (sequence > highest) {
            return false;
        }
        long age = highest - sequence;
        if (age >= SIZE) {
            return true;
        }
        return (seen & (1L << age)) != 0;
    }

    /** Marks an authenticated record as seen. */
    void accept(int recordEpoch, long sequence) {
        if (recordEpoch > epoch) {
            epoch = recordEpoch;
            highest = sequence;
            seen = 1;
            return;
        }
        if (recordEpoch < epoch) {
            return;
        }
        if (sequence > highest) {
            long shift = sequence - highest;
            seen = shift >= SIZE ? 1 : (seen << shift) | 1;
            highest = sequence;
        } else {
            long age = highest - sequence;
            if (age < SIZE) {
                seen |= 1L << age;
            }
        }
    }
}
