package org.dtls4j.bouncycastle;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSTransport;

/**
 * A BouncyCastle session's handshake run: BouncyCastle's blocking {@code connect} or
 * {@code accept} on a thread of the context's {@link HandshakeExecutor}, its outcome handed
 * back to the session, and the wait for a client's first flight that the session contract
 * asks of {@code beginHandshake}.
 *
 * <p>Thread-safe: started under the session's lock, run on a handshake thread.
 */
final class HandshakeRun {

    /** How long beginHandshake waits for a free handshake thread to emit the ClientHello. */
    private static final long FIRST_FLIGHT_WAIT_MILLIS = 2000;

    /** What the run reports to its session. */
    interface Session {
        /** Whether the session still waits for its handshake (it may have been closed meanwhile). */
        boolean handshaking();

        /** On the handshake thread: the handshake completed. */
        void established(DTLSTransport transport);

        /** On the handshake thread: BouncyCastle threw. */
        void failed(Throwable e);

        /** The executor refused the run: the context was closed. */
        void notStarted(RejectedExecutionException e);
    }

    private final HandshakeExecutor executor;
    private final Session session;
    private final CountDownLatch firstFlight = new CountDownLatch(1);
    private volatile boolean started;

    HandshakeRun(HandshakeExecutor executor, Session session) {
        this.executor = executor;
        this.session = session;
    }

    /** Whether {@link #start} was called. */
    boolean started() {
        return started;
    }

    void start(Callable<DTLSTransport> handshake) {
        started = true;
        try {
            executor.submit(() -> run(handshake));
        } catch (RejectedExecutionException closedContext) {
            session.notStarted(closedContext);
        }
    }

    /** On a handshake thread: BouncyCastle's whole handshake. */
    private void run(Callable<DTLSTransport> handshake) {
        if (!session.handshaking()) {
            return; // closed while it waited for a thread
        }
        DTLSTransport established;
        try {
            established = handshake.call();
        } catch (Exception | LinkageError e) {
            session.failed(e);
            return;
        } finally {
            firstFlight.countDown();
        }
        session.established(established);
    }

    /** A datagram went out: a client's first flight, if it was waited for. */
    void flightSent() {
        firstFlight.countDown();
    }

    /** Waits, a bounded time, for the first flight. */
    void awaitFirstFlight() {
        try {
            firstFlight.await(FIRST_FLIGHT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
