package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;

/**
 * One session bound to a socket and an event loop: the {@link DtlsConnection} users see.
 *
 * <p>Every call into the session holds {@link #lock}, so the session is never entered by
 * two threads at once: the loop (datagrams, timers) and application threads ({@code send},
 * {@code close}) take turns. The session's datagrams go straight to the socket from
 * whichever thread produced them. Records and events reach the application after the
 * session call has returned, so a handler may call back into the connection.
 */
final class Peer implements DtlsConnection, DtlsSessionListener {

    /** What the owner (a server's peer table, or a client) learns about this peer. */
    interface Owner {
        void established(Peer peer);

        void ended(Peer peer, boolean handshakeFailed);
    }

    private static final Object END_OF_STREAM = new Object();

    final EventLoop loop;
    private final DatagramChannel channel;
    private final boolean connected;
    private final InetSocketAddress address;
    private final DtlsConfig config;
    private final Duration idleTimeout;
    private final Owner owner;
    private final Counters shared;
    private final Counters own = new Counters();
    private final DtlsConnectionHandler handler;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedBlockingQueue<Object> inbound;
    private final int inboundCapacity;
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The item the reader looked at but did not consume; reader-confined. */
    private Object head;
    /**
     * Set once a client connection's reader reads the socket itself (after the handshake):
     * then no I/O thread stands between the socket and {@link #receive}.
     */
    private volatile java.net.DatagramSocket directSocket;
    private byte[] directBuffer;
    private java.net.DatagramPacket directPacket;
    final CompletableFuture<DtlsSessionInfo> handshake = new CompletableFuture<>();

    private DtlsSession session;
    private volatile DtlsSessionInfo info;
    private volatile DtlsException failure;
    private volatile long lastActivity = System.nanoTime();
    private long sessionDropped;
    private boolean inTimer;

    // loop-confined
    private EventLoop.Timer sessionTimer;
    /** Written on the loop, read by application threads to skip needless wake-ups. */
    private volatile long armedFor = DtlsSession.NO_TIMEOUT;
    private EventLoop.Timer houseTimer;

    /** A predecessor this peer replaces once its own handshake completes (RFC 6347 section 4.2.8). */
    volatile Peer predecessor;

    Peer(EventLoop loop, DatagramChannel channel, boolean connected, InetSocketAddress address, DtlsConfig config,
         Owner owner, Counters shared, DtlsConnectionHandler handler, TransportOptions options) {
        this.loop = loop;
        this.channel = channel;
        this.connected = connected;
        this.address = address;
        this.config = config;
        this.owner = owner;
        this.shared = shared;
        this.handler = handler;
        this.inboundCapacity = options.receiveQueueCapacity();
        this.idleTimeout = options.idleTimeout();
        this.inbound = new LinkedBlockingQueue<>();
    }

    private final AtomicBoolean handshakeSlot = new AtomicBoolean(true);

    /** True exactly once: when this peer stops counting against the concurrent-handshake limit. */
    boolean releaseHandshakeSlot() {
        return handshakeSlot.compareAndSet(true, false);
    }

    /** Attaches the session this peer drives; called once, before anything else. */
    void attach(DtlsSession s) {
        this.session = s;
    }

    DtlsSessionState state() {
        return session.state();
    }

    /** On the loop: starts the handshake, then feeds the first datagram if there is one. */
    void begin(ByteBuffer first) {
        shared.inc(Counter.HANDSHAKES_STARTED);
        drive(() -> {
            session.beginHandshake();
            if (first != null) {
                session.receive(first);
            }
        });
        armHousekeeping();
    }

    /** An ICMP error arrived for this peer's socket: counted, never fatal (it is spoofable). */
    void icmpError() {
        shared.drop(DropReason.ICMP);
        own.drop(DropReason.ICMP);
    }

    /** On the loop: one datagram from this peer. */
    void receive(ByteBuffer datagram) {
        lastActivity = System.nanoTime();
        own.inc(Counter.DATAGRAMS_IN);
        drive(() -> session.receive(datagram));
    }

    /** Runs a session call under the lock, then re-arms the timer and delivers what it produced. */
    private void drive(Runnable call) {
        long deadline;
        lock.lock();
        try {
            if (ended.get() && session.state().isTerminal()) {
                return;
            }
            call.run();
            long d = session.droppedDatagrams();
            if (d != sessionDropped) {
                shared.drop(DropReason.SESSION, d - sessionDropped);
                own.drop(DropReason.SESSION, d - sessionDropped);
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
            loop.execute(this::rearm);
        }
        deliverEvents();
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
            sessionTimer = loop.schedule(deadline, () -> {
                sessionTimer = null;
                armedFor = DtlsSession.NO_TIMEOUT;
                drive(() -> {
                    inTimer = true;
                    try {
                        session.handleTimeout();
                    } finally {
                        inTimer = false;
                    }
                });
            });
        }
    }

    /** Idle timeout once established; a stalled handshake is reaped after its total time (plus slack). */
    private void armHousekeeping() {
        long now = System.nanoTime();
        long due = session.state() == DtlsSessionState.ESTABLISHED
                ? lastActivity + idleTimeout.toNanos()
                : now + config.handshakeTimeout().toNanos() + config.initialRetransmitTimeout().toNanos();
        houseTimer = loop.schedule(due, this::housekeeping);
    }

    private void housekeeping() {
        houseTimer = null;
        if (ended.get()) {
            return;
        }
        DtlsSessionState s = session.state();
        long now = System.nanoTime();
        if (s == DtlsSessionState.ESTABLISHED) {
            if (now - (lastActivity + idleTimeout.toNanos()) >= 0) {
                expire(new DtlsTimeoutException("idle for " + idleTimeout.toMillis() + " ms"));
                return;
            }
        } else if (!s.isTerminal()) {
            // The session's own timers should have failed it by now; reap it regardless.
            onFailed(new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
            return;
        }
        armHousekeeping();
    }

    /** Ends the peer without a close_notify (idle, or replaced by a restarted client). */
    void expire(DtlsException why) {
        lock.lock();
        try {
            session.close();
        } finally {
            lock.unlock();
        }
        end(false);
        inbound.add(END_OF_STREAM);
        if (handler != null) {
            events.add(() -> handler.onClosed(this));
            deliverEvents();
        }
    }

    private void end(boolean handshakeFailed) {
        if (ended.compareAndSet(false, true)) {
            if (loop.inLoop()) {
                cancelTimers();
            } else {
                loop.execute(this::cancelTimers);
            }
            owner.ended(this, handshakeFailed);
        }
    }

    private void cancelTimers() {
        if (sessionTimer != null) {
            sessionTimer.cancel();
            sessionTimer = null;
        }
        if (houseTimer != null) {
            houseTimer.cancel();
            houseTimer = null;
        }
    }

    private void deliverEvents() {
        if (handler == null || lock.isHeldByCurrentThread()) {
            return;
        }
        Runnable e;
        while ((e = events.poll()) != null) {
            e.run();
        }
    }

    // --- DtlsSessionListener: any thread, possibly under the lock ---

    @Override
    public void onDatagram(ByteBuffer datagram) {
        try {
            int n = connected ? channel.write(datagram) : channel.send(datagram, address);
            if (n == 0) {
                shared.drop(DropReason.SEND_BUFFER_FULL);
                own.drop(DropReason.SEND_BUFFER_FULL);
                return;
            }
            shared.inc(Counter.DATAGRAMS_OUT);
            own.inc(Counter.DATAGRAMS_OUT);
            if (inTimer) {
                shared.inc(Counter.RETRANSMISSIONS);
                own.inc(Counter.RETRANSMISSIONS);
            }
        } catch (PortUnreachableException e) {
            shared.drop(DropReason.ICMP);
            own.drop(DropReason.ICMP);
        } catch (IOException e) {
            // UDP: a datagram that cannot leave is a lost datagram; retransmission covers it.
            shared.drop(DropReason.SEND_BUFFER_FULL);
            own.drop(DropReason.SEND_BUFFER_FULL);
        }
    }

    @Override
    public void onRecord(ByteBuffer record) {
        lastActivity = System.nanoTime();
        shared.inc(Counter.RECORDS_IN);
        own.inc(Counter.RECORDS_IN);
        if (handler != null) {
            ByteBuffer copy = ByteBuffer.allocate(record.remaining()).put(record).flip();
            events.add(() -> handler.onRecord(this, copy));
            if (!lock.isHeldByCurrentThread()) {
                loop.execute(this::deliverEvents);
            }
            return;
        }
        if (inbound.size() >= inboundCapacity) {
            shared.drop(DropReason.RECEIVE_QUEUE_FULL);
            own.drop(DropReason.RECEIVE_QUEUE_FULL);
            return;
        }
        byte[] copy = new byte[record.remaining()];
        record.get(copy);
        inbound.add(copy);
    }

    @Override
    public void onHandshakeComplete(DtlsSessionInfo negotiated) {
        info = negotiated;
        shared.inc(Counter.HANDSHAKES_COMPLETED);
        if (loop.inLoop()) {
            rescheduleHousekeeping();
        } else {
            loop.execute(this::rescheduleHousekeeping);
        }
        Peer old = predecessor;
        predecessor = null;
        if (old != null) {
            old.expire(new DtlsClosedException("the client restarted on the same address"));
        }
        owner.established(this);
        handshake.complete(negotiated);
        if (handler != null) {
            events.add(() -> handler.onConnected(this));
        }
    }

    private void rescheduleHousekeeping() {
        if (houseTimer != null) {
            houseTimer.cancel();
        }
        if (!ended.get()) {
            armHousekeeping();
        }
    }

    @Override
    public void onClosed() {
        inbound.add(END_OF_STREAM);
        end(false);
        if (handler != null) {
            events.add(() -> handler.onClosed(this));
        }
    }

    @Override
    public void onFailed(DtlsException e) {
        failure = e;
        boolean wasHandshaking = info == null;
        if (wasHandshaking) {
            shared.inc(Counter.HANDSHAKES_FAILED);
        }
        inbound.add(e);
        handshake.completeExceptionally(e);
        end(wasHandshaking);
        if (handler != null && !wasHandshaking) {
            events.add(() -> handler.onFailed(this, e));
        }
    }

    @Override
    public void onTimeoutChanged() {
        loop.execute(this::rearm);
    }

    // --- DtlsConnection ---

    @Override
    public void send(ByteBuffer record) throws IOException {
        DtlsException f = failure;
        if (f != null) {
            throw new DtlsClosedException("the connection failed: " + f.getMessage());
        }
        if (info == null) {
            throw new IllegalStateException("the handshake has not completed");
        }
        if (ended.get() || session.state().isTerminal()) {
            throw new DtlsClosedException("the connection is closed");
        }
        RuntimeException[] thrown = new RuntimeException[1];
        drive(() -> {
            try {
                session.send(record);
                shared.inc(Counter.RECORDS_OUT);
                own.inc(Counter.RECORDS_OUT);
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
        });
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }

    /** From now on the reader reads {@code socket} itself; the socket must be in blocking mode. */
    void readDirectly(java.net.DatagramSocket socket) {
        directBuffer = new byte[65536];
        directPacket = new java.net.DatagramPacket(directBuffer, directBuffer.length);
        directSocket = socket;
    }

    @Override
    public int receive(ByteBuffer destination, Duration timeout) throws IOException {
        Object next = head;
        if (next == null && directSocket != null) {
            next = readDirect(timeout);
            if (next == null) {
                throw new DtlsTimeoutException("no record within " + timeout.toMillis() + " ms");
            }
        }
        if (next == null) {
            try {
                next = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while receiving");
            }
            if (next == null) {
                throw new DtlsTimeoutException("no record within " + timeout.toMillis() + " ms");
            }
        }
        // End of stream and failure stay at the head: every later receive sees them too.
        head = next;
        if (next == END_OF_STREAM) {
            return -1;
        }
        if (next instanceof DtlsException e) {
            throw e;
        }
        byte[] record = (byte[]) next;
        if (record.length > destination.remaining()) {
            throw new IllegalArgumentException("the next record has " + record.length
                    + " bytes but the buffer has room for " + destination.remaining());
        }
        head = null;
        destination.put(record);
        return record.length;
    }

    /** Reads and unprotects datagrams on the reader's thread until a record or an end arrives. */
    private Object readDirect(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.net.DatagramSocket socket = directSocket;
        while (true) {
            Object queued = inbound.poll();
            if (queued != null) {
                return queued;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
            directPacket.setData(directBuffer);
            try {
                socket.receive(directPacket);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (PortUnreachableException e) {
                icmpError();
                continue;
            } catch (IOException e) {
                if (ended.get()) {
                    return END_OF_STREAM; // closed underneath us
                }
                throw e;
            }
            shared.inc(Counter.DATAGRAMS_IN);
            receive(ByteBuffer.wrap(directBuffer, 0, directPacket.getLength()));
        }
    }

    @Override
    public int maxRecordSize() {
        lock.lock();
        try {
            return session.maxRecordSize();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InetSocketAddress peerAddress() {
        return address;
    }

    @Override
    public DtlsSessionInfo info() {
        DtlsSessionInfo i = info;
        if (i == null) {
            throw new IllegalStateException("the handshake has not completed");
        }
        return i;
    }

    @Override
    public TransportStats stats() {
        return own.snapshot();
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && !session.state().isTerminal();
    }

    @Override
    public void close() {
        if (ended.get() && session.state().isTerminal()) {
            return;
        }
        lock.lock();
        try {
            session.close();
        } finally {
            lock.unlock();
        }
        inbound.add(END_OF_STREAM);
        end(false);
    }

    @Override
    public String toString() {
        return "DtlsConnection[" + address + ", " + session.state() + "]";
    }
}
