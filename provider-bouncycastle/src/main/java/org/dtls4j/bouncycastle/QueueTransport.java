package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The {@link DatagramTransport} BouncyCastle reads from and writes to, over a bounded queue
 * of received datagrams.
 *
 * <p>BouncyCastle's protocol blocks inside {@link #receive(byte[], int, int, int)}. During
 * the handshake (on a handshake thread) that call waits on the queue for at most the time
 * BouncyCastle asks. Once the session is {@linkplain #nonBlocking() non-blocking}, an empty
 * queue throws {@link NoInput} instead: BouncyCastle passes an {@link InterruptedIOException}
 * through {@code DTLSTransport.receive} without failing the connection, which is how the
 * caller's thread drains what one {@code DtlsSession.receive} put in, without ever waiting
 * (a {@code waitMillis} of 0 means "wait forever" to BouncyCastle).
 *
 * <p>A full queue drops the datagram and counts it: a peer cannot make the session buffer
 * without bound. Thread-safe.
 */
final class QueueTransport implements DatagramTransport {

    /** How many received datagrams wait for the handshake thread at most. */
    static final int DEFAULT_CAPACITY = 64;

    /** The queue is empty and the session does not wait: "no more input for now". */
    static final class NoInput extends InterruptedIOException {
        private static final long serialVersionUID = 1L;
        static final NoInput INSTANCE = new NoInput();

        private NoInput() {
            super("no datagram queued");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown on every drained datagram: no stack trace to fill
        }
    }

    /** Where datagrams BouncyCastle sends go. */
    interface Sink {
        void send(byte[] buf, int off, int len);

        /** A queued datagram is handed to BouncyCastle (after the handshake only). */
        void taken();
    }

    private static final byte[] CLOSED = new byte[0];
    /**
     * How long a handshake waiting for its peer keeps its computing turn: a burst of
     * handshakes on one host answer each other within it, a stalled peer does not.
     */
    private static final long KEEP_TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BlockingQueue<byte[]> inbound;
    private final Sink sink;
    private final int sendLimit;
    private final int receiveLimit;
    private final FlightTimer timer;
    private volatile boolean nonBlocking;
    private volatile boolean closed;
    private long overflows;

    QueueTransport(int capacity, int sendLimit, int receiveLimit, FlightTimer timer, Sink sink) {
        this.inbound = new ArrayBlockingQueue<>(capacity);
        this.timer = timer;
        this.sendLimit = sendLimit;
        this.receiveLimit = receiveLimit;
        this.sink = sink;
    }

    /**
     * Queues one received datagram.
     *
     * @return false if it was dropped because the queue is full or the transport closed
     */
    boolean offer(byte[] datagram) {
        if (closed || !inbound.offer(datagram)) {
            synchronized (this) {
                overflows++;
            }
            return false;
        }
        return true;
    }

    /** Datagrams dropped because the queue was full. */
    synchronized long overflows() {
        return overflows;
    }

    /** How many datagrams wait. */
    int queued() {
        return inbound.size();
    }

    /** From now on an empty queue throws {@link NoInput} instead of waiting. */
    void nonBlocking() {
        nonBlocking = true;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        byte[] d;
        if (nonBlocking) {
            d = inbound.poll();
            if (d == null) {
                throw NoInput.INSTANCE;
            }
            if (d != CLOSED) {
                sink.taken();
            }
        } else {
            d = awaitDuringHandshake(waitMillis);
            if (d == null) {
                timer.bouncyCastleTimedOut();
                return -1; // BouncyCastle's timer ran out: it retransmits or gives up
            }
            if (d != CLOSED) {
                timer.received(d);
            }
        }
        if (d == CLOSED || closed) {
            inbound.clear();
            inbound.offer(CLOSED); // wake every later receive too
            throw new IOException("session closed");
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    /**
     * Waits for a datagram for at most {@code waitMillis} (BouncyCastle's next deadline),
     * resending the flight meanwhile whenever the {@link FlightTimer} says so.
     */
    private byte[] awaitDuringHandshake(int waitMillis) throws IOException {
        long now = System.nanoTime();
        long bouncyCastleDeadline = now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMillis));
        boolean keepTurn = true;
        while (true) {
            long until = bouncyCastleDeadline;
            if (timer.active() && timer.deadline() - until < 0) {
                until = timer.deadline();
            }
            byte[] d;
            try {
                // A peer that answers within a moment keeps this handshake's turn; one that does
                // not lets the next queued handshake start meanwhile (HandshakeExecutor).
                // Only the first wait after BouncyCastle asks keeps it: a wake-up to resend
                // does not, or stalled peers' timers would take turns from live handshakes.
                long wait = Math.max(0, until - now);
                long keep = keepTurn ? Math.min(wait, KEEP_TURN_NANOS) : 0;
                keepTurn = false;
                d = keep > 0 ? inbound.poll(keep, TimeUnit.NANOSECONDS) : inbound.poll();
                if (d == null && wait > keep) {
                    HandshakeExecutor.pause();
                    try {
                        d = inbound.poll(wait - keep, TimeUnit.NANOSECONDS);
                    } finally {
                        HandshakeExecutor.resume();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a datagram");
            }
            if (d != null) {
                return d;
            }
            now = System.nanoTime();
            if (timer.active() && now - timer.deadline() >= 0 && !closed) {
                for (byte[] copy : timer.resend(now)) {
                    sink.send(copy, 0, copy.length);
                }
            }
            if (now - bouncyCastleDeadline >= 0) {
                return null;
            }
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            return; // the session is gone: nothing more reaches the peer
        }
        if (nonBlocking) {
            timer.sendEstablished(buf, off, len, sink);
            return;
        }
        byte[] d = timer.sending(buf, off, len, System.nanoTime());
        if (d != null) {
            sink.send(d, 0, d.length);
        }
    }

    /** Ends the transport: a waiting handshake thread wakes up with an IOException. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inbound.clear();
            inbound.offer(CLOSED);
        }
    }

    FlightTimer timer() {
        return timer;
    }

    boolean isClosed() {
        return closed;
    }
}
