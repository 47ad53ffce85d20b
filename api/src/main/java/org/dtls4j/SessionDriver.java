package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;

/**
 * Enters one connection's session and runs its timers: the session's retransmission timer,
 * and housekeeping (the idle timeout once established; a reaper for a stalled handshake).
 *
 * <p>Every call into the session holds {@link #lock}, so the session is never entered by two
 * threads at once: the loop (datagrams, timers) and application threads ({@code send},
 * {@code close}) take turns. The session's datagrams go straight to the socket from whichever
 * thread produced them ({@link SessionSink}). Timers are loop-confined.
 */
final class SessionDriver {

    private static final System.Logger LOG = System.getLogger(SessionDriver.class.getName());

    private final SessionLoop loop;
    private final PeerConnection connection;
    private final Counters counters;
    private final Duration idleTimeout;
    private final Duration handshakeTimeout;
    private final Duration initialRetransmitTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private DtlsSession session;
    private volatile long lastActivity = System.nanoTime();
    private long sessionDropped;
    private boolean inTimer;
    /** Where the datagram being received came from, during {@link #receive}; guarded by the lock. */
    private InetSocketAddress receivingFrom;

    // loop-confined
    private SessionLoop.Timer sessionTimer;
    /** Written on the loop, read by application threads to skip needless wake-ups. */
    private volatile long armedFor = DtlsSession.NO_TIMEOUT;
    private SessionLoop.Timer houseTimer;
    /** The loop tasks, made once: a method reference allocates each time it is evaluated. */
    private final Runnable rearmTask = this::rearm;
    private final Runnable sessionTimeoutTask = this::sessionTimeout;

    SessionDriver(SessionLoop loop, PeerConnection connection, DtlsConfig config, Duration idleTimeout,
                  Counters counters) {
        this.loop = loop;
        this.connection = connection;
        this.counters = counters;
        this.idleTimeout = idleTimeout;
        this.handshakeTimeout = config.handshakeTimeout();
        this.initialRetransmitTimeout = config.initialRetransmitTimeout();
    }

    void attach(DtlsSession s) {
        this.session = s;
    }

    DtlsSessionState state() {
        return session.state();
    }

    /** On the loop: starts the handshake, then feeds the first datagram if there is one. */
    void begin(ByteBuffer first) {
        if (enter()) {
            try {
                session.beginHandshake();
                if (first != null) {
                    session.receive(first);
                }
            } catch (RuntimeException e) {
                threw(e);
            } finally {
                leave();
            }
        }
        armHousekeeping();
    }

    /** One datagram that came from {@code from}. */
    void receive(ByteBuffer datagram, InetSocketAddress from) {
        touch();
        if (enter()) {
            try {
                receivingFrom = from;
                session.receive(datagram);
            } catch (RuntimeException e) {
                threw(e);
            } finally {
                receivingFrom = null;
                leave();
            }
        }
    }

    /**
     * Where the datagram the session is receiving came from, on the thread that is inside
     * {@link #receive}; null on any other thread and outside a receive.
     */
    InetSocketAddress receivingFrom() {
        return lock.isHeldByCurrentThread() ? receivingFrom : null;
    }

    /** Protects and sends one record; counted once the session has taken it. */
    void send(ByteBuffer record) {
        if (enter()) {
            try {
                session.send(record);
                counters.inc(Counter.RECORDS_OUT);
            } finally {
                leave();
            }
        }
    }

    /** Asks the session for a key update; its KeyUpdate goes out, and its timer is re-armed, as after a send. */
    void updateKeys() {
        if (enter()) {
            try {
                session.updateKeys();
            } finally {
                leave();
            }
        }
    }

    int maxRecordSize() {
        lock.lock();
        try {
            return session.maxRecordSize();
        } finally {
            lock.unlock();
        }
    }

    void closeSession() {
        lock.lock();
        try {
            session.close();
        } finally {
            lock.unlock();
        }
    }

    /** Application data moved: the idle timeout starts again. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Whether the session's current output comes from its retransmission timer (under the lock). */
    boolean inTimer() {
        return inTimer;
    }

    /** Whether this thread is inside a session call (events wait until it returns). */
    boolean holdsLock() {
        return lock.isHeldByCurrentThread();
    }

    /** The session moved its deadline outside a call we made. */
    void timeoutChanged() {
        loop.execute(rearmTask);
    }

    /** The handshake completed: housekeeping now watches for idleness. */
    void restartHousekeeping() {
        if (loop.inLoop()) {
            rescheduleHousekeeping();
        } else {
            loop.execute(this::rescheduleHousekeeping); // once per handshake, not per datagram
        }
    }

    void cancelTimers() {
        if (loop.inLoop()) {
            cancelTimersNow();
        } else {
            loop.execute(this::cancelTimersNow);
        }
    }

    /**
     * Takes the lock for a session call; false, without the lock, once the connection has
     * ended and the session is done. Every session call that may produce output or events
     * is {@code if (enter()) { try { call } finally { leave(); } }}: direct calls, nothing
     * allocated per datagram or record.
     */
    private boolean enter() {
        lock.lock();
        if (connection.ended() && session.state().isTerminal()) {
            lock.unlock();
            return false;
        }
        return true;
    }

    /**
     * Under the lock, on the loop: the session threw out of a call the loop made (a backend's
     * bug on hostile input, such as the JDK engine's ClassCastException on a HelloRequest sent
     * to a server). The session can no longer be trusted, so it ends here, as a failure that
     * is counted: it is closed (its backend state freed, no further call reaches it), the
     * connection fails, and its address and handshake slot are free at once. Nothing reaches
     * the loop, which every other peer depends on, and nothing waits for a timeout.
     */
    private void threw(RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "the " + session.role() + " session threw; it ends", e);
        counters.drop(DropReason.SESSION_ERROR);
        try {
            session.close();
        } catch (RuntimeException closing) {
            e.addSuppressed(closing);
        }
        connection.fail(new DtlsException("the provider's session failed on its input: " + e, e));
    }

    /**
     * After a session call, whether it returned or threw: counts what the session dropped,
     * releases the lock, re-arms the timer and delivers what the call produced.
     */
    private void leave() {
        long deadline;
        try {
            long d = session.droppedDatagrams();
            if (d != sessionDropped) {
                counters.drop(DropReason.SESSION, d - sessionDropped);
                sessionDropped = d;
            }
            deadline = session.state().isTerminal() ? DtlsSession.NO_TIMEOUT : session.nextTimeout();
        } finally {
            lock.unlock();
        }
        if (loop.inLoop()) {
            rearm();
        } else if (deadline != armedFor) {
            // Only a changed deadline is worth waking the loop for: an application send on an
            // established session leaves it alone, and then costs no hand-off at all.
            loop.execute(rearmTask);
        }
        connection.deliverEvents();
    }

    private void rearm() {
        long deadline;
        lock.lock();
        try {
            deadline = session.state().isTerminal() ? DtlsSession.NO_TIMEOUT : session.nextTimeout();
        } finally {
            lock.unlock();
        }
        if (deadline == armedFor && sessionTimer != null) {
            return;
        }
        if (sessionTimer != null) {
            sessionTimer.cancel();
            sessionTimer = null;
        }
        armedFor = deadline;
        if (deadline != DtlsSession.NO_TIMEOUT) {
            sessionTimer = loop.schedule(deadline, sessionTimeoutTask);
        }
    }

    /** On the loop: the session's retransmission timer fired. */
    private void sessionTimeout() {
        sessionTimer = null;
        armedFor = DtlsSession.NO_TIMEOUT;
        if (enter()) {
            try {
                inTimer = true;
                session.handleTimeout();
            } catch (RuntimeException e) {
                threw(e);
            } finally {
                inTimer = false;
                leave();
            }
        }
    }

    /** Idle timeout once established; a stalled handshake is reaped after its total time (plus slack). */
    private void armHousekeeping() {
        long now = System.nanoTime();
        long due = session.state() == DtlsSessionState.ESTABLISHED
                ? lastActivity + idleTimeout.toNanos()
                : now + handshakeTimeout.toNanos() + initialRetransmitTimeout.toNanos();
        houseTimer = loop.schedule(due, this::housekeeping);
    }

    private void housekeeping() {
        houseTimer = null;
        if (connection.ended()) {
            return;
        }
        DtlsSessionState s = session.state();
        long now = System.nanoTime();
        if (s == DtlsSessionState.ESTABLISHED) {
            if (now - (lastActivity + idleTimeout.toNanos()) >= 0) {
                connection.expire(new DtlsTimeoutException("idle for " + idleTimeout.toMillis() + " ms"));
                return;
            }
        } else if (!s.isTerminal()) {
            // The session's own timers should have failed it by now; reap it regardless, and
            // close it: a backend whose handshake has no end of its own (BouncyCastle's thread
            // waits on) would otherwise keep it, and what it holds, after the connection is gone.
            connection.abandon(new DtlsHandshakeTimeoutException(handshakeTimeout));
            return;
        }
        armHousekeeping();
    }

    private void rescheduleHousekeeping() {
        if (houseTimer != null) {
            houseTimer.cancel();
        }
        if (!connection.ended()) {
            armHousekeeping();
        }
    }

    private void cancelTimersNow() {
        if (sessionTimer != null) {
            sessionTimer.cancel();
            sessionTimer = null;
        }
        if (houseTimer != null) {
            houseTimer.cancel();
            houseTimer = null;
        }
    }
}
