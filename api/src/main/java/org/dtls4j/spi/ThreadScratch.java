package org.dtls4j.spi;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Working buffers that sessions borrow for the length of a call, one set per thread instead of
 * one per session: a native provider copies a datagram in, reads a record out and hands it to
 * the listener, and nothing of that outlives the call, so an idle session need hold no buffer
 * at all (with a hundred thousand idle sessions, that is the difference).
 *
 * <p>{@link #enter} and {@link Lease#exit} bracket each use. A session that enters again on the
 * same thread while one of its calls holds a set (it sends from its own {@code onRecord}, or
 * from a callback of another session it called) shares that set; a different session entered
 * from inside a callback on the same thread gets a set of its own for that call, closed when it
 * exits, so what the outer call is delivering is never overwritten. The thread's own set is
 * kept for the thread's life.
 *
 * <p>Thread-safe: each thread has its own sets; a {@link Lease} is confined to the thread that
 * entered it.
 *
 * @param <T> the set of buffers
 * @since 0.2
 */
public final class ThreadScratch<T extends AutoCloseable> {

    private final Supplier<T> factory;
    /** Each thread's own set and the innermost lease in use, in one lookup. */
    private final ThreadLocal<Slot<T>> slots;

    /** @param factory makes a set; called once per thread, and for each nested call of another session */
    public ThreadScratch(Supplier<T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.slots = ThreadLocal.withInitial(Slot::new);
    }

    /**
     * The set for {@code session}'s use on this thread, until the matching {@link Lease#exit}.
     *
     * @param session what holds the set: the session, or the native object it owns
     * @return the lease, whose {@link Lease#buffers()} are the set
     */
    public Lease<T> enter(Object session) {
        Slot<T> slot = slots.get();
        for (Lease<T> held = slot.current; held != null; held = held.previous) {
            if (held.holder == session) {
                held.depth++;
                return held;
            }
        }
        Lease<T> lease;
        if (slot.current == null) {
            if (slot.own == null) {
                slot.own = new Lease<>(slot, factory.get(), true);
            }
            lease = slot.own;
        } else {
            lease = new Lease<>(slot, factory.get(), false);
        }
        lease.holder = session;
        lease.depth = 1;
        lease.previous = slot.current;
        slot.current = lease;
        return lease;
    }

    /** One thread's state: its own set's lease, and the innermost lease in use (null between calls). */
    private static final class Slot<T extends AutoCloseable> {
        private Lease<T> own;
        private Lease<T> current;
    }

    /**
     * One thread's use of a set, by one session.
     *
     * <p>Not thread-safe: confined to the thread that entered it.
     *
     * @param <T> the set of buffers
     */
    public static final class Lease<T extends AutoCloseable> {
        private final Slot<T> slot;
        private final T buffers;
        private final boolean threads;
        private Object holder;
        private int depth;
        private Lease<T> previous;

        private Lease(Slot<T> slot, T buffers, boolean threads) {
            this.slot = slot;
            this.buffers = buffers;
            this.threads = threads;
        }

        /**
         * The set of buffers, for this lease's thread until {@link #exit}.
         *
         * @return the set
         */
        public T buffers() {
            return buffers;
        }

        /**
         * Ends one {@link ThreadScratch#enter}; the last gives the set back, and closes one made
         * for a nested call.
         *
         * @return whether the set was given back: the holder's outermost call on this thread ended
         */
        public boolean exit() {
            if (--depth > 0) {
                return false;
            }
            holder = null;
            slot.current = previous;
            previous = null;
            if (!threads) {
                try {
                    buffers.close();
                } catch (Exception e) {
                    throw new IllegalStateException("a scratch buffer set failed to close", e);
                }
            }
            return true;
        }
    }
}
