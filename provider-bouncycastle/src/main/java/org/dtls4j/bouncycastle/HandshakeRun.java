package org.dtls4j.bouncycastle;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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

    private final HandshakeExecutor executor;
    private final BooleanSupplier handshaking;
    private final Consumer<DTLSTransport> established;
    private final Consumer<Throwable> failed;
    private final Consumer<RejectedExecutionException> notStarted;
    private final CountDownLatch firstFlight = new CountDownLatch(1);
    private volatile boolean started;

    /**
     * @param handshaking whether the session still waits for its handshake (it may have
     *        been closed meanwhile)
     * @param established on the handshake thread: the handshake completed
     * @param failed on the handshake thread: BouncyCastle threw
     * @param notStarted the executor refused the run: the context was closed
     */
    HandshakeRun(HandshakeExecutor executor, BooleanSupplier handshaking, Consumer<DTLSTransport> established,
                 Consumer<Throwable> failed, Consumer<RejectedExecutionException> notStarted) {
        this.executor = executor;
        this.handshaking = handshaking;
        this.established = established;
        this.failed = failed;
        this.notStarted = notStarted;
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
            notStarted.accept(closedContext);
        }
    }

    /** On a handshake thread: BouncyCastle's whole handshake. */
    private void run(Callable<DTLSTransport> handshake) {
        if (!handshaking.getAsBoolean()) {
            return; // closed while it waited for a thread
        }
        DTLSTransport transport;
        try {
            transport = handshake.call();
        } catch (Exception | LinkageError e) {
            failed.accept(e);
            return;
        } finally {
            firstFlight.countDown();
        }
        established.accept(transport);
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
