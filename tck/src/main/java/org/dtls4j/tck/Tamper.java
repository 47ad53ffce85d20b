package org.dtls4j.tck;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.dtls4j.tck.net.Side;

/**
 * A filter for a {@link SessionPair}'s link that lets an attacker rewrite the first
 * transmission of each plaintext handshake datagram (epoch 0), and leaves retransmissions
 * alone, so that a receiver that drops what the attacker sent still completes the handshake
 * through its peer's retransmission. Counts, per receiving side, the datagrams it was shown:
 * the handshake states at which the attacker struck. Thread-safe (the link calls it under
 * its own lock; the counts are read after the handshake).
 */
final class Tamper {

    private final Set<ByteBuffer> seen = new HashSet<>();
    private final Map<Side, Integer> points = new EnumMap<>(Map.of(Side.CLIENT, 0, Side.SERVER, 0));

    /**
     * Puts the filter on {@code pair}'s link. {@code rewrite} gets the receiving side, its
     * index among that side's first transmissions and the datagram, and returns the datagrams
     * to deliver instead, in order, or null to deliver the datagram as it is.
     */
    static Tamper install(SessionPair pair, Rewrite rewrite) {
        Tamper t = new Tamper();
        pair.link().filter((from, bytes) -> {
            Side to = from.peer();
            List<byte[]> instead;
            synchronized (t) {
                List<byte[]> records = HostileRecords.records(bytes);
                if (records.isEmpty() || !HostileRecords.isPlainHandshake(records.get(0))
                        || !t.seen.add(withoutSequence(bytes))) {
                    return false;
                }
                int point = t.points.merge(to, 1, Integer::sum) - 1;
                instead = rewrite.apply(to, point, bytes);
            }
            if (instead == null) {
                return false;
            }
            instead.forEach(d -> pair.link().inject(to, d));
            return true;
        });
        return t;
    }

    /** A rule for the first transmission of a plaintext handshake datagram. */
    interface Rewrite {
        /**
         * {@return what to deliver instead of {@code datagram}, or null to deliver it}
         *
         * @param to the receiving side
         * @param point the datagram's index among the first transmissions to {@code to}
         * @param datagram the datagram
         */
        List<byte[]> apply(Side to, int point, byte[] datagram);
    }

    /** A rewrite that only puts {@code before.apply(to, datagram)} in front of the datagram. */
    static Rewrite before(BiFunction<Side, byte[], byte[]> before) {
        return (to, point, datagram) -> List.of(before.apply(to, datagram), datagram);
    }

    /** {@return how many first transmissions of plaintext handshake datagrams went to {@code side}} */
    synchronized int points(Side side) {
        return points.get(side);
    }

    private static ByteBuffer withoutSequence(byte[] datagram) {
        byte[] b = datagram.clone();
        for (int i = 5; i < 11; i++) {
            b[i] = 0;
        }
        return ByteBuffer.wrap(b);
    }
}
