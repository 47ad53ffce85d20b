package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One {@link SSLEngine} in DTLS mode and its buffers: wraps, unwraps, runs delegated
 * tasks, and keeps the engine going until it needs the peer.
 *
 * <p>In DTLS mode every {@code wrap} produces at most one record, sized to the engine's
 * maximum packet size, and every {@code unwrap} reads one record; each record produced goes
 * to the output as one datagram. Its buffers are the calling thread's ({@link JsseScratch}),
 * which the session sets with {@link #use} for each call; they grow when the engine asks.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class EngineDriver {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Far more engine steps than any flight needs: a guard against an engine that never settles. */
    private static final int MAX_STEPS = 256;

    private final SSLEngine engine;
    private final Consumer<ByteBuffer> output;
    private JsseScratch scratch;
    private boolean finishedSeen;

    /**
     * @param output receives each record the engine produces, as a datagram valid only
     *        during the call
     */
    EngineDriver(SSLEngine engine, Consumer<ByteBuffer> output) {
        this.engine = engine;
        this.output = output;
    }

    /** The buffers of the session call that starts: the calling thread's, leased for the call. */
    void use(JsseScratch buffers) {
        this.scratch = buffers;
    }

    SSLEngine engine() {
        return engine;
    }

    HandshakeStatus status() {
        return engine.getHandshakeStatus();
    }

    /** Whether any result since the handshake began reported FINISHED. */
    boolean finishedSeen() {
        return finishedSeen;
    }

    /** The plaintext of the last {@link #unwrap}, from position to limit. */
    ByteBuffer applicationData() {
        return scratch.appIn.flip();
    }

    /** One wrap; whatever it produces is one record and goes out as one datagram. */
    SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        for (;;) {
            ByteBuffer netOut = scratch.netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            note(r);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                scratch.netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining()) {
                output.accept(netOut);
            }
            return r;
        }
    }

    /** One unwrap of exactly the record in {@code in}, growing the plaintext buffer as JSSE asks. */
    SSLEngineResult unwrap(ByteBuffer in) throws SSLException {
        for (;;) {
            ByteBuffer appIn = scratch.appIn.clear();
            SSLEngineResult r = engine.unwrap(in, appIn);
            note(r);
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return r;
            }
            scratch.appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
        }
    }

    /**
     * Runs the engine until it needs the peer: wraps while it has output, runs its tasks,
     * and processes handshake messages it has buffered.
     */
    void advance() throws SSLException {
        for (int i = 0; i < MAX_STEPS; i++) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    SSLEngineResult r = wrap(EMPTY);
                    if (r.bytesProduced() == 0 && (r.getStatus() == SSLEngineResult.Status.CLOSED
                            || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP)) {
                        return; // nothing comes out: do not spin
                    }
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run(); // a task's failure is rethrown by the next wrap or unwrap
                    }
                }
                case NEED_UNWRAP_AGAIN -> {
                    if (unwrap(EMPTY).getStatus() == SSLEngineResult.Status.CLOSED) {
                        return;
                    }
                }
                default -> {
                    return; // NEED_UNWRAP or NOT_HANDSHAKING: the peer's turn
                }
            }
        }
    }

    /**
     * Sends whatever the engine still has (close_notify, an alert), tolerating its failures.
     *
     * @return the failure that stopped it, or null
     */
    SSLException flush() {
        for (int i = 0; i < MAX_STEPS; i++) {
            try {
                if (wrap(EMPTY).bytesProduced() == 0) {
                    return null;
                }
            } catch (SSLException e) {
                return e;
            }
        }
        return null;
    }

    private void note(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finishedSeen = true;
        }
    }
}
