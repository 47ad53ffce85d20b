package org.dtls4j.bouncycastle;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads BouncyCastle's blocking handshakes run on, one pool per context.
 *
 * <p>BouncyCastle's {@code DTLSClientProtocol.connect} and {@code DTLSServerProtocol.accept}
 * hold their thread for the whole handshake, waiting inside the transport for the peer. A
 * fixed pool let a few peers that stalled after their cookie verified hold every thread until
 * their handshake timeout while everyone else's handshake waited in the queue (issue 14 item
 * 4: four stalled peers delayed a real client by 15 s). A thread for every handshake at once
 * fixed that but ran a burst of 1,000 handshakes' cryptography on 2,000 threads at once, four
 * times slower than the fixed pool on two cores.
 *
 * <p>So a handshake starts at once while fewer than {@code computing} handshakes are running
 * BouncyCastle's code; otherwise it waits in a FIFO queue. A handshake that waits for its
 * peer ({@link #pause}, in {@link QueueTransport} once it has waited 20 ms) does not count, so the next
 * queued one starts then, on a thread of its own: peers that stall cost a thread each, never
 * another peer's turn. When the wait ends ({@link #resume}) the handshake goes on at once, so
 * more than {@code computing} may compute for a moment. Threads are reused, end after
 * {@value #KEEP_ALIVE_SECONDS} s without work or at once when the context closes, and number at
 * most {@code maxThreads} (the listener's {@code maxHandshakes} bounds a server first). They
 * are daemons named {@code dtls4j-bc-handshake-N}. After its handshake a session holds no
 * thread.
 *
 * <p>Thread-safe.
 */
final class HandshakeExecutor {

    /** The thread name prefix. */
    static final String THREAD_PREFIX = "dtls4j-bc-handshake-";
    /** How long an idle handshake thread waits for another handshake before it ends. */
    static final int KEEP_ALIVE_SECONDS = 5;

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** The executor whose handshake the current thread runs, or none. */
    private static final ThreadLocal<HandshakeExecutor> RUNNING = new ThreadLocal<>();

    private final ThreadPoolExecutor pool;
    private final int computing;
    /** Handshakes running BouncyCastle's code now (started, and not waiting for their peer). */
    private final AtomicInteger computingNow = new AtomicInteger();
    /** Handshakes not started yet, in order. */
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    /**
     * @param maxThreads the most handshakes in progress, a thread each
     * @param computing how many handshakes computing at once keep the next from starting
     */
    HandshakeExecutor(int maxThreads, int computing) {
        if (maxThreads < 1 || computing < 1) {
            throw new IllegalArgumentException("handshake threads must be at least 1, was " + maxThreads
                    + " (computing " + computing + ")");
        }
        this.computing = computing;
        // No core threads and a hand-off queue: a handshake takes an idle thread or starts one.
        pool = new ThreadPoolExecutor(0, maxThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_PREFIX + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a handshake now if fewer than {@code computing} handshakes compute, else when
     * one ends or waits for its peer.
     *
     * @throws RejectedExecutionException if the context is closed
     */
    void submit(Runnable handshake) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the context is closed");
        }
        waiting.add(handshake);
        startWaiting();
    }

    /** Starts queued handshakes while fewer than {@code computing} compute, each on a thread of its own. */
    private void startWaiting() {
        for (Runnable next; (next = claimNext()) != null; ) {
            Runnable handshake = next;
            try {
                pool.execute(() -> run(handshake));
            } catch (RejectedExecutionException full) {
                computingNow.decrementAndGet();
                if (!pool.isShutdown()) {
                    waiting.add(handshake); // at the thread cap: a thread whose handshake ends takes it
                }
                return;
            }
        }
    }

    /** The next queued handshake, already counted as computing, if one may start now; else null. */
    private Runnable claimNext() {
        while (!pool.isShutdown() && !waiting.isEmpty()) {
            int now = computingNow.get();
            if (now >= computing) {
                return null;
            }
            if (computingNow.compareAndSet(now, now + 1)) {
                Runnable next = waiting.poll();
                if (next == null) {
                    computingNow.decrementAndGet();
                }
                return next;
            }
        }
        return null;
    }

    /** On a pool thread: a handshake the caller counted as computing, then the queued ones it may take. */
    private void run(Runnable first) {
        RUNNING.set(this);
        try {
            for (Runnable next = first; next != null; next = claimNext()) {
                try {
                    next.run();
                } finally {
                    computingNow.decrementAndGet();
                }
            }
        } finally {
            RUNNING.remove();
        }
    }

    /** Before the calling handshake thread waits for its peer: the next queued handshake may start. */
    static void pause() {
        HandshakeExecutor e = RUNNING.get();
        if (e != null) {
            e.computingNow.decrementAndGet();
            e.startWaiting();
        }
    }

    /** After the wait: the handshake computes again. */
    static void resume() {
        HandshakeExecutor e = RUNNING.get();
        if (e != null) {
            e.computingNow.incrementAndGet();
        }
    }

    /** Whether a submitted handshake would start at once (racy; a hint only). */
    boolean hasIdleCapacity() {
        return computingNow.get() < computing && waiting.isEmpty();
    }

    /** How many handshakes run now. */
    int active() {
        return pool.getActiveCount();
    }

    /** Lets running handshakes finish (their sessions end them) and starts no new ones. */
    void shutdown() {
        pool.shutdown();
        waiting.clear();
    }
}
