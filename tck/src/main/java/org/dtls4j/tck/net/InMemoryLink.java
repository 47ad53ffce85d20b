package org.dtls4j.tck.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A deterministic, lossy, point-to-point datagram link between a client and a server side,
 * for running sessions without sockets.
 *
 * <p>Every datagram's fate (lost, duplicated, held back, corrupted, too big) is drawn from
 * one {@link Random} seeded by the test, in the order datagrams are sent, so a failing run
 * can be replayed from its seed. Deliveries run on the given event loop; every sent
 * datagram is recorded as a {@link WireEvent} so tests can check what went over the wire
 * and when.
 *
 * <p>Thread-safe: sides may send from any thread (a provider's own threads included).
 *
 * @since 0.1
 */
public final class InMemoryLink {

    private final ScheduledExecutorService loop;
    private final long seed;
    private final Random random;
    private final Map<Side, Consumer<ByteBuffer>> receivers = new EnumMap<>(Side.class);
    private final List<WireEvent> wire = new ArrayList<>();
    private volatile NetworkConditions conditions;
    private volatile BiPredicate<Side, byte[]> filter = (side, bytes) -> false;

    /**
     * A link whose timed fates (hold-back, reordering) run on {@code loop}, under {@code
     * conditions}, drawn from {@code seed}.
     *
     * @param loop the single thread that delivers datagrams and runs the sessions
     * @param conditions the conditions at first
     * @param seed the seed every random fate is drawn from
     */
    public InMemoryLink(ScheduledExecutorService loop, NetworkConditions conditions, long seed) {
        this.loop = loop;
        this.conditions = conditions;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** {@return the seed every fate is drawn from} */
    public long seed() {
        return seed;
    }

    /**
     * Where datagrams for {@code side} are delivered (called on the loop).
     *
     * @param side the side whose datagrams are delivered
     * @param receiver takes each datagram for {@code side}
     */
    public synchronized void attach(Side side, Consumer<ByteBuffer> receiver) {
        receivers.put(side, receiver);
    }

    /**
     * Changes the conditions from now on.
     *
     * @param conditions the loss, duplication, reordering, corruption and MTU to apply
     */
    public void conditions(NetworkConditions conditions) {
        this.conditions = conditions;
    }

    /** {@return the current conditions} */
    public NetworkConditions conditions() {
        return conditions;
    }

    /**
     * Drops every datagram for which {@code rule.test(sender, bytes)} is true, on top of the
     * random conditions. Replaces any earlier rule.
     *
     * @param rule sees the sender and the bytes of each datagram; true drops it
     */
    public void filter(BiPredicate<Side, byte[]> rule) {
        this.filter = rule;
    }

    /**
     * Sends a datagram from {@code from} to the other side; copies the bytes.
     *
     * @param from the sending side
     * @param datagram the datagram, from position to limit; not consumed
     */
    public void send(Side from, ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.duplicate().get(bytes);
        NetworkConditions c = conditions;
        WireEvent.Fate fate;
        byte[] delivered = bytes;
        long holdBackNanos = 0;
        boolean twice = false;
        synchronized (this) {
            // Draw every number for every datagram so that fates do not shift when one
            // probability changes between runs with the same seed.
            double pLoss = random.nextDouble();
            double pDup = random.nextDouble();
            double pReorder = random.nextDouble();
            double pCorrupt = random.nextDouble();
            int bit = random.nextInt(Math.max(1, bytes.length * 8));
            if (filter.test(from, bytes)) {
                fate = WireEvent.Fate.FILTERED;
            } else if (c.mtu() > 0 && bytes.length > c.mtu()) {
                fate = WireEvent.Fate.TOO_BIG;
            } else if (pLoss < c.loss()) {
                fate = WireEvent.Fate.LOST;
            } else if (pCorrupt < c.corruption() && bytes.length > 0
                    && (!c.corruptProtectedOnly() || isProtected(bytes))) {
                fate = WireEvent.Fate.CORRUPTED;
                delivered = bytes.clone();
                delivered[bit / 8] ^= (byte) (1 << (bit % 8));
            } else if (pReorder < c.reordering()) {
                fate = WireEvent.Fate.REORDERED;
                holdBackNanos = c.holdBack().toNanos();
            } else if (pDup < c.duplication()) {
                fate = WireEvent.Fate.DUPLICATED;
                twice = true;
            } else {
                fate = WireEvent.Fate.DELIVERED;
            }
            wire.add(new WireEvent(System.nanoTime(), from, bytes, fate));
        }
        switch (fate) {
            case LOST, TOO_BIG, FILTERED -> { }
            default -> {
                deliver(from.peer(), delivered, holdBackNanos);
                if (twice) {
                    deliver(from.peer(), delivered, 0);
                }
            }
        }
    }

    /**
     * Delivers bytes to {@code to} as if they came over the link, bypassing every condition.
     *
     * @param to the side to deliver to
     * @param bytes the datagram
     */
    public void inject(Side to, byte[] bytes) {
        deliver(to, bytes.clone(), 0);
    }

    /** {@return every datagram sent so far, in order} */
    public synchronized List<WireEvent> wire() {
        return List.copyOf(wire);
    }

    /** {@return A one-line-per-datagram account of the wire, for failure messages} */
    public String describe() {
        StringBuilder sb = new StringBuilder("seed=").append(seed).append(' ').append(conditions).append('\n');
        List<WireEvent> events = wire();
        long t0 = events.isEmpty() ? 0 : events.get(0).nanos();
        int shown = 0;
        for (WireEvent e : events) {
            if (shown++ == 60) {
                sb.append("  ... ").append(events.size() - 60).append(" more\n");
                break;
            }
            sb.append(String.format("  +%6.1fms %s%n", (e.nanos() - t0) / 1e6, e));
        }
        return sb.toString();
    }

    private void deliver(Side to, byte[] bytes, long delayNanos) {
        Runnable task = () -> {
            Consumer<ByteBuffer> r;
            synchronized (this) {
                r = receivers.get(to);
            }
            if (r != null) {
                r.accept(ByteBuffer.wrap(bytes));
            }
        };
        if (loop.isShutdown()) {
            return;
        }
        try {
            if (delayNanos > 0) {
                loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            } else {
                ((Executor) loop).execute(task);
            }
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // the test is over; the datagram goes nowhere, as on a real network
        }
    }

    private static boolean isProtected(byte[] bytes) {
        return bytes.length >= 5 && (bytes[3] != 0 || bytes[4] != 0);
    }
}
