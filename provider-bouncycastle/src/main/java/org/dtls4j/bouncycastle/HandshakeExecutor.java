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
 * hold their thread for the whole handshake, waiting inside the transport for the peer. So
 * every handshake in progress gets a thread of its own, up to {@code maxThreads}: a fixed
 * pool let a few peers that stalled after their cookie verified hold every thread until
 * their handshake timeout while the handshakes of everyone else waited in the queue (issue
 * 14 item 4: four stalled peers delayed a real client by 15 s). The listener's
 * {@code maxHandshakes} is what bounds a server's handshakes in progress, so the cap only
 * guards against a context used without one; a handshake beyond it waits in a FIFO queue.
 * Idle threads are reused, and end after {@value #KEEP_ALIVE_SECONDS} s without work, or at
 * once when the context closes. Threads are daemons named {@code dtls4j-bc-handshake-N}.
 * After its handshake a session holds no thread.
 *
 * <p>Thread-safe.
 */
final class HandshakeExecutor {

    /** The thread name prefix. */
    static final String THREAD_PREFIX = "dtls4j-bc-handshake-";
    /** How long an idle handshake thread waits for another handshake before it ends. */
    static final int KEEP_ALIVE_SECONDS = 5;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ThreadPoolExecutor pool;
    /** Handshakes beyond {@code maxThreads}, in order, until a thread is free. */
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    HandshakeExecutor(int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("handshake threads must be at least 1, was " + maxThreads);
        }
        // No core threads and a hand-off queue: a handshake takes an idle thread or starts one.
        pool = new ThreadPoolExecutor(0, maxThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_PREFIX + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs a handshake on an idle thread, or a new one below the cap; beyond it, when a
     * running handshake ends.
     *
     * @throws RejectedExecutionException if the context is closed
     */
    void submit(Runnable handshake) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the context is closed");
        }
        try {
            pool.execute(() -> runThenNext(handshake));
        } catch (RejectedExecutionException full) {
            if (pool.isShutdown()) {
                throw full;
            }
            waiting.add(handshake);
            try {
                // every thread may have ended between the refusal and the add
                pool.execute(() -> runThenNext(waiting.poll()));
            } catch (RejectedExecutionException stillFull) {
                // a running handshake takes it when it ends
            }
        }
    }

    /** Runs a handshake, then on the same thread the handshakes that waited for one. */
    private void runThenNext(Runnable handshake) {
        for (Runnable next = handshake; next != null; next = pool.isShutdown() ? null : waiting.poll()) {
            next.run();
        }
    }

    /** Whether a submitted handshake would start at once (racy; a hint only). */
    boolean hasIdleCapacity() {
        return pool.getActiveCount() < pool.getMaximumPoolSize() && waiting.isEmpty();
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
