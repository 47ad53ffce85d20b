package org.dtls4j.tck.net;

/**
 * One datagram a side put on an {@link InMemoryLink}, and what the link did with it.
 *
 * @param nanos {@link System#nanoTime()} when it was sent
 * @param from the side that sent it
 * @param bytes the datagram as sent (before any corruption)
 * @param fate what the link did to it
 * @since 0.1
 */
public record WireEvent(long nanos, Side from, byte[] bytes, Fate fate) {

    /** What the link did to a datagram. */
    public enum Fate {
        /** Delivered once, unchanged. */
        DELIVERED,
        /** Dropped at random ({@link NetworkConditions#loss()}). */
        LOST,
        /** Delivered twice ({@link NetworkConditions#duplication()}). */
        DUPLICATED,
        /** Held back so that datagrams sent after it overtake it ({@link NetworkConditions#reordering()}). */
        REORDERED,
        /** Delivered with one bit flipped ({@link NetworkConditions#corruption()}). */
        CORRUPTED,
        /** Dropped for being larger than {@link NetworkConditions#mtu()}. */
        TOO_BIG,
        /** Dropped by the rule given to {@link InMemoryLink#filter}. */
        FILTERED
    }

    /** {@return the content type of the datagram's first record, or -1 if it has none} */
    public int firstContentType() {
        return bytes.length > 0 ? bytes[0] & 0xff : -1;
    }

    /** {@return the epoch of the datagram's first record, or -1 if the header is incomplete} */
    public int firstEpoch() {
        return bytes.length >= 5 ? ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff) : -1;
    }

    @Override
    public String toString() {
        return String.format("%s %4dB type=%d epoch=%d %s", from, bytes.length, firstContentType(), firstEpoch(), fate);
    }
}
