package org.dtls4j.tck.net;

import java.time.Duration;

/**
 * How an {@link InMemoryLink} mistreats datagrams. Each probability applies to each
 * datagram independently, drawn from the link's seeded random source. Immutable.
 *
 * @param loss probability a datagram is dropped
 * @param duplication probability a datagram is delivered twice
 * @param reordering probability a datagram is held back so that later ones overtake it
 * @param corruption probability one bit of a datagram is flipped
 * @param corruptProtectedOnly corrupt only datagrams whose first record is protected
 *        (epoch 1 or later); plaintext handshake records carry no integrity check of their
 *        own, so corrupting them tests the peer's parser, not DTLS
 * @param mtu datagrams larger than this are dropped (0: no limit)
 * @param holdBack how long a reordered datagram is held back
 * @since 0.1
 */
public record NetworkConditions(double loss, double duplication, double reordering, double corruption,
                                boolean corruptProtectedOnly, int mtu, Duration holdBack) {

    /** A perfect network: nothing lost, duplicated, reordered or corrupted. */
    public static final NetworkConditions CLEAN = new NetworkConditions(0, 0, 0, 0, true, 0, Duration.ofMillis(5));

    /**
     * Checks that each probability is from 0 to 1 and the MTU is not negative.
     *
     * @param loss probability a datagram is dropped
     * @param duplication probability a datagram is delivered twice
     * @param reordering probability a datagram is held back so that later ones overtake it
     * @param corruption probability one bit of a datagram is flipped
     * @param corruptProtectedOnly corrupt only datagrams whose first record is protected
     * @param mtu datagrams larger than this are dropped (0: no limit)
     * @param holdBack how long a reordered datagram is held back
     * @throws IllegalArgumentException if a probability is outside 0 to 1 or the MTU is negative
     */
    public NetworkConditions {
        check(loss, "loss");
        check(duplication, "duplication");
        check(reordering, "reordering");
        check(corruption, "corruption");
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu must be >= 0");
        }
    }

    /**
     * {@return these conditions with a loss probability of {@code p}}
     *
     * @param p the probability, 0 to 1, that a datagram is lost
     */
    public NetworkConditions withLoss(double p) {
        return new NetworkConditions(p, duplication, reordering, corruption, corruptProtectedOnly, mtu, holdBack);
    }

    /**
     * {@return these conditions with a duplication probability of {@code p}}
     *
     * @param p the probability, 0 to 1, that a datagram is delivered twice
     */
    public NetworkConditions withDuplication(double p) {
        return new NetworkConditions(loss, p, reordering, corruption, corruptProtectedOnly, mtu, holdBack);
    }

    /**
     * {@return these conditions with a reordering probability of {@code p}}
     *
     * @param p the probability, 0 to 1, that a datagram is held back so that later ones overtake it
     */
    public NetworkConditions withReordering(double p) {
        return new NetworkConditions(loss, duplication, p, corruption, corruptProtectedOnly, mtu, holdBack);
    }

    /**
     * {@return these conditions with a corruption probability of {@code p}}
     *
     * @param p the probability, 0 to 1, that one bit of a datagram is flipped
     * @param protectedOnly whether only datagrams whose first record is protected (epoch 1 and
     *     above) are corrupted
     */
    public NetworkConditions withCorruption(double p, boolean protectedOnly) {
        return new NetworkConditions(loss, duplication, reordering, p, protectedOnly, mtu, holdBack);
    }

    /**
     * {@return these conditions with datagrams larger than {@code bytes} dropped}
     *
     * @param bytes the largest datagram delivered; 0 for no limit
     */
    public NetworkConditions withMtu(int bytes) {
        return new NetworkConditions(loss, duplication, reordering, corruption, corruptProtectedOnly, bytes, holdBack);
    }

    private static void check(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be a probability, was " + p);
        }
    }

    @Override
    public String toString() {
        return String.format("loss=%.2f dup=%.2f reorder=%.2f corrupt=%.2f%s mtu=%d",
                loss, duplication, reordering, corruption, corruptProtectedOnly ? "(protected)" : "", mtu);
    }
}
