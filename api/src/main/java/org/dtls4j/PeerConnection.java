package org.dtls4j;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;

/**
 * One session bound to a socket and an event loop: the {@link DtlsConnection} users see, and
 * its life (handshake, establishment, end) as its owner sees it.
 *
 * <p>Three parts do the work: a {@link SessionDriver} enters the session, one thread at a
 * time, and runs its timers; a {@link SessionSink} takes what the session produces
 * (datagrams to the socket, records, events); an {@link Inbox} holds records until the
 * application receives them. Records and events reach a {@link DtlsConnectionHandler} after
 * the session call has returned, so a handler may call back into the connection.
 *
 * <p>Each event is counted once, in this connection's {@link Counters}, which pass it on to
 * their parent (a server's) where there is one: the server's stats and the connection's agree.
 */
final class PeerConnection implements DtlsConnection {

    /** What the owner (a server's peer table, or a client) learns about this connection. */
    interface Owner {
        void established(PeerConnection connection);

        void ended(PeerConnection connection, boolean handshakeFailed);

        /**
         * The session proved its peer now speaks from {@code to}: whether the connection may
         * move there. An owner that agrees calls {@link #movedTo} before it returns.
         */
        default boolean move(PeerConnection connection, InetSocketAddress to) {
            return false;
        }
    }

    final SessionLoop loop;
    final CompletableFuture<DtlsSessionInfo> handshake = new CompletableFuture<>();
    /** A predecessor this connection replaces once its own handshake completes (RFC 6347 section 4.2.8). */
    volatile PeerConnection predecessor;
    /** The connection ID the server's table routes to this connection, or null; set once, before the handshake ends. */
    volatile byte[] connectionId;

    /** Where the peer is: where datagrams go; changes only by {@link #movedTo}. */
    private volatile InetSocketAddress address;
    private final Owner owner;
    private final Counters counters;
    private final DtlsConnectionHandler handler;
    private final SessionDriver driver;
    private final SessionSink sink;
    private final Inbox inbox;
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean handshakeSlot = new AtomicBoolean(true);
    private volatile DtlsSessionInfo info;
    private volatile DtlsException failure;

    /**
     * @param connected whether {@code channel} is connected to {@code address} (a client's)
     * @param counters this connection's counters, usually with the server's as parent
     * @param handler where records and events go, or null for {@link #receive}
     */
    PeerConnection(EventLoop loop, DatagramChannel channel, boolean connected, InetSocketAddress address,
                   DtlsConfig config, Owner owner, Counters counters, DtlsConnectionHandler handler,
                   TransportOptions options) {
        this(loop, connected ? (datagram, to) -> channel.write(datagram) : channel::send, address, config, owner,
                counters, handler, options);
    }

    /**
     * @param output where the session's datagrams go (to the peer's current address)
     * @param counters this connection's counters, usually with the server's as parent
     * @param handler where records and events go, or null for {@link #receive}
     */
    PeerConnection(SessionLoop loop, DatagramOutput output, InetSocketAddress address, DtlsConfig config,
                   Owner owner, Counters counters, DtlsConnectionHandler handler, TransportOptions options) {
        this.loop = loop;
        this.address = address;
        this.owner = owner;
        this.counters = counters;
        this.handler = handler;
        this.driver = new SessionDriver(loop, this, config, options.idleTimeout(), counters);
        this.inbox = new Inbox(this, options.receiveQueueCapacity());
        this.sink = new SessionSink(this, driver, inbox, output, counters);
    }

    /** The listener to give the session this connection drives. */
    DtlsSessionListener listener() {
        return sink;
    }

    /** Attaches the session this connection drives; called once, before anything else. */
    void attach(DtlsSession session) {
        driver.attach(session);
    }

    DtlsSessionState state() {
        return driver.state();
    }

    /** True exactly once: when this connection stops counting against the concurrent-handshake limit. */
    boolean releaseHandshakeSlot() {
        return handshakeSlot.compareAndSet(true, false);
    }

    /** On the loop: starts the handshake, then feeds the first datagram if there is one. */
    void begin(ByteBuffer first) {
        counters.inc(Counter.HANDSHAKES_STARTED);
        if (first != null) {
            counters.inc(Counter.DATAGRAMS_IN);
        }
        driver.begin(first);
    }

    /** On the loop, or on the reader's thread once it reads directly: one datagram from the peer. */
    void receive(ByteBuffer datagram) {
        receive(datagram, address);
    }

    /**
     * On the loop: one datagram that came from {@code from}, which may differ from the peer's
     * address when the server found this connection by the datagram's connection ID.
     */
    void receive(ByteBuffer datagram, InetSocketAddress from) {
        counters.inc(Counter.DATAGRAMS_IN);
        driver.receive(datagram, from);
    }

    /**
     * Inside a receive of a datagram from {@code from}: the session proved the datagram came
     * from its peer (a record authenticated and was the newest yet), so the peer moves there
     * if its owner agrees.
     */
    void migrate(InetSocketAddress from) {
        if (!ended.get()) {
            owner.move(this, from);
        }
    }

    /** The owner has moved this connection to {@code to}: from now on datagrams go there. */
    void movedTo(InetSocketAddress to) {
        address = to;
        counters.inc(Counter.MIGRATIONS);
    }

    /** An ICMP error arrived for this connection's socket: counted, never fatal (it is spoofable). */
    void icmpError() {
        counters.drop(DropReason.ICMP);
    }

    /** From now on the reader reads {@code socket} itself; the socket must be in blocking mode. */
    void readDirectly(DatagramSocket socket) {
        inbox.readDirectly(socket);
    }

    boolean ended() {
        return ended.get();
    }

    DtlsConnectionHandler handler() {
        return handler;
    }

    /** Queues a handler event, to run once no session call is in progress on this thread. */
    void post(Runnable event) {
        events.add(event);
    }

    /** Runs the queued handler events, unless this thread is inside a session call. */
    void deliverEvents() {
        if (handler == null || driver.holdsLock()) {
            return;
        }
        Runnable e;
        while ((e = events.poll()) != null) {
            e.run();
        }
    }

    // --- the session's events, through the sink ---

    void established(DtlsSessionInfo negotiated) {
        info = negotiated;
        counters.inc(Counter.HANDSHAKES_COMPLETED);
        driver.restartHousekeeping();
        PeerConnection old = predecessor;
        predecessor = null;
        if (old != null) {
            old.expire(new DtlsClosedException("the client restarted on the same address"));
        }
        owner.established(this);
        handshake.complete(negotiated);
        if (handler != null) {
            events.add(() -> handler.onConnected(this));
            if (!driver.holdsLock()) {
                // A provider thread completed the handshake (BouncyCastle's does): no session
                // call on the loop will deliver the event until the peer's next datagram.
                loop.execute(this::deliverEvents);
            }
        }
    }

    void closedByPeer() {
        inbox.endOfStream();
        end(false);
        if (handler != null) {
            events.add(() -> handler.onClosed(this));
        }
    }

    void fail(DtlsException e) {
        failure = e;
        boolean wasHandshaking = info == null;
        if (wasHandshaking) {
            counters.inc(Counter.HANDSHAKES_FAILED);
        }
        inbox.fail(e);
        handshake.completeExceptionally(e);
        end(wasHandshaking);
        if (handler != null && !wasHandshaking) {
            events.add(() -> handler.onFailed(this, e));
        }
    }

    /** Ends the connection without a close_notify (idle, or replaced by a restarted client). */
    void expire(DtlsException why) {
        driver.closeSession();
        end(false);
        inbox.endOfStream();
        if (handler != null) {
            events.add(() -> handler.onClosed(this));
            deliverEvents();
        }
    }

    private void end(boolean handshakeFailed) {
        if (ended.compareAndSet(false, true)) {
            driver.cancelTimers();
            owner.ended(this, handshakeFailed);
        }
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
        if (ended.get() || driver.state().isTerminal()) {
            throw new DtlsClosedException("the connection is closed");
        }
        driver.send(record);
    }

    @Override
    public void updateKeys() {
        DtlsException f = failure;
        if (f != null) {
            throw new DtlsClosedException("the connection failed: " + f.getMessage());
        }
        if (ended.get()) {
            throw new DtlsClosedException("the connection is closed");
        }
        driver.updateKeys();
    }

    @Override
    public int receive(ByteBuffer destination, Duration timeout) throws IOException {
        return inbox.take(destination, timeout);
    }

    @Override
    public int maxRecordSize() {
        return driver.maxRecordSize();
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
        return counters.snapshot();
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && !driver.state().isTerminal();
    }

    @Override
    public void close() {
        if (ended.get() && driver.state().isTerminal()) {
            return;
        }
        driver.closeSession();
        inbox.endOfStream();
        end(false);
    }

    @Override
    public String toString() {
        return "DtlsConnection[" + address + ", " + driver.state() + "]";
    }
}
