package org.dtls4j.bouncycastle;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads BouncyCastle's blocking handshakes run on, one pool per context.
 *
 * <p>BouncyCastle's {@code DTLSClientProtocol.connect} and {@code DTLSServerProtocol.accept}
 * hold their thread for the whole handshake, waiting inside the transport for the peer.
 * The pool is bounded: at most {@code threads} handshakes of a context run at once and
 * the rest wait in an unbounded FIFO queue (a waiting client has sent nothing yet; a
 * waiting server session is only submitted once its ClientHello is in, and its client
 * retransmits). Threads are daemons named {@code dtls4j-bc-handshake-N}, end after a
 * second without work, and end at once when the context closes. After its handshake a
 * session holds no thread.
 *
 * <p>Thread-safe.
 */
final class HandshakeExecutor {

    /** The thread name prefix. */
    static final String THREAD_PREFIX = "dtls4j-bc-handshake-";

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    HandshakeExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("handshake threads must be at least 1, was " + threads);
        }
        pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_PREFIX + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs a handshake when a thread is free.
     *
     * @throws RejectedExecutionException if the context is closed
     */
    Future<?> submit(Runnable handshake) {
        return pool.submit(handshake);
    }

    /** Whether a submitted handshake would start at once (racy; a hint only). */
    boolean hasIdleCapacity() {
        return pool.getActiveCount() < pool.getMaximumPoolSize() && pool.getQueue().isEmpty();
    }

    /** How many handshakes run now. */
    int active() {
        return pool.getActiveCount();
    }

    /** Lets running handshakes finish (their sessions end them) and starts no new ones. */
    void shutdown() {
        pool.shutdown();
    }
}
