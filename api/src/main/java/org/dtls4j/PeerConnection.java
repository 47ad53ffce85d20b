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
import java.util.concurrent.atomic.AtomicReference;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.DtlsRecords;

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

    /** Where a ClientHello's fragment_offset is in its datagram: the record and handshake headers before it. */
    private static final int FRAGMENT_OFFSET = DtlsRecords.HEADER_SIZE + 6;
    /** Where a ClientHello's random is in its datagram: after the headers and client_version. */
    private static final int CLIENT_RANDOM = DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 2;
    private static final int RANDOM_LENGTH = 32;

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
    /** The provider's name and the session's role, for the JFR events; set by {@link #attach}. */
    private String provider = "";
    private DtlsRole role = DtlsRole.SERVER;
    /** The handshake's JFR event while one is recorded; taken once by {@link #endHandshakeEvent}. */
    private final AtomicReference<TransportEvents.Handshake> handshakeEvent = new AtomicReference<>();
    /** A server connection's client random ({@link #startedBy}), or null. */
    private volatile byte[] clientRandom;

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

    /**
     * Attaches the session this connection drives; called once, before anything else.
     *
     * @param provider the name of the provider that made the session, for the JFR events
     */
    void attach(DtlsSession session, String provider) {
        this.provider = provider;
        this.role = session.role();
        driver.attach(session);
    }

    DtlsSessionState state() {
        return driver.state();
    }

    /** True exactly once: when this connection stops counting against the concurrent-handshake limit. */
    boolean releaseHandshakeSlot() {
        return handshakeSlot.compareAndSet(true, false);
    }

    /**
     * Keeps the client random of the ClientHello that starts this server connection (the
     * first fragment's record, unchanged), to tell a retransmission from a restarted client
     * ({@link #restartedBy}).
     */
    void startedBy(ByteBuffer clientHello) {
        int at = clientHello.position() + CLIENT_RANDOM;
        if (clientHello.limit() - at >= RANDOM_LENGTH) {
            byte[] random = new byte[RANDOM_LENGTH];
            clientHello.get(at, random);
            clientRandom = random;
        }
    }

    /**
     * Whether {@code datagram}, a ClientHello from this connection's peer while its handshake
     * runs, starts a new handshake (a client random other than the one this connection
     * started with) rather than repeating the one in progress: a retransmission, a later
     * fragment, or the ClientHello a backend's own cookie exchange asks for (RFC 6347 section
     * 4.2.1: the same random) all go to the session. A restarted client goes to the front
     * door, as it would after an established session (RFC 6347 section 4.2.8).
     */
    boolean restartedBy(ByteBuffer datagram) {
        byte[] random = clientRandom;
        int p = datagram.position();
        int at = p + CLIENT_RANDOM;
        if (random == null || datagram.limit() - at < RANDOM_LENGTH
                || datagram.get(p + FRAGMENT_OFFSET) != 0 || datagram.get(p + FRAGMENT_OFFSET + 1) != 0
                || datagram.get(p + FRAGMENT_OFFSET + 2) != 0) {
            return false;
        }
        return datagram.slice(at, RANDOM_LENGTH).compareTo(ByteBuffer.wrap(random)) != 0;
    }

    /** On the loop: starts the handshake, then feeds the first datagram if there is one. */
    void begin(ByteBuffer first) {
        counters.inc(Counter.HANDSHAKES_STARTED);
        handshakeEvent.set(TransportEvents.handshakeBegun(provider, role, address));
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
        InetSocketAddress from = address;
        address = to;
        counters.inc(Counter.MIGRATIONS);
        TransportEvents.migrated(provider, from, to);
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
        endHandshakeEvent(negotiated, null);
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
        TransportEvents.alert(provider, address, false, false, DtlsAlert.CLOSE_NOTIFY);
        inbox.endOfStream();
        end(false);
        if (handler != null) {
            events.add(() -> handler.onClosed(this));
        }
    }

    void fail(DtlsException e) {
        failure = e;
        boolean wasHandshaking = info == null;
        // The JFR events before the counters: once a counter shows the failure, its events are in.
        if (wasHandshaking) {
            endHandshakeEvent(null, e);
        }
        if (e instanceof DtlsAlertException a) {
            TransportEvents.alert(provider, address, a.origin() == DtlsAlertException.Origin.LOCAL, true, a.alert());
        }
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

    /**
     * Ends a connection whose handshake will not complete (its client restarted, or it ran out
     * of time): the session is closed, freeing what its backend holds, and the handshake fails,
     * counted; the handler, which never saw the connection, hears nothing.
     */
    void abandon(DtlsException why) {
        driver.closeSession();
        fail(why);
    }

    /** Ends the connection without a close_notify (idle, or replaced by a restarted client). */
    void expire(DtlsException why) {
        closeSession();
        end(false);
        inbox.endOfStream();
        if (handler != null) {
            events.add(() -> handler.onClosed(this));
            deliverEvents();
        }
    }

    /** Closes the session, which sends close_notify if it was established (and then says so to JFR). */
    private void closeSession() {
        boolean established = driver.state() == DtlsSessionState.ESTABLISHED;
        driver.closeSession();
        if (established) {
            TransportEvents.alert(provider, address, true, false, DtlsAlert.CLOSE_NOTIFY);
        }
    }

    /** Commits the handshake's JFR event, if one is recorded and not yet committed. */
    private void endHandshakeEvent(DtlsSessionInfo negotiated, DtlsException why) {
        TransportEvents.Handshake e = handshakeEvent.getAndSet(null);
        if (e != null) {
            TransportEvents.handshakeEnded(e, negotiated, why, counters.value(Counter.RETRANSMISSIONS));
        }
    }

    private void end(boolean handshakeFailed) {
        if (ended.compareAndSet(false, true)) {
            endHandshakeEvent(null, null);
            counters.flushDropEvents(); // a client's own; a server's connection has none
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
        closeSession();
        inbox.endOfStream();
        end(false);
    }

    @Override
    public String toString() {
        return "DtlsConnection[" + address + ", " + driver.state() + "]";
    }
}
