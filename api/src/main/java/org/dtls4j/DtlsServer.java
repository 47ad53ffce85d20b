package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.TransportConnectionIds;
import org.dtls4j.spi.HelloRetryCookies.ReturnedCookie;
import org.dtls4j.spi.ClientHellos.Verdict;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;

/**
 * A DTLS server on one UDP socket: the {@code DTLSv1_listen} of dtls4j, for many peers.
 *
 * <p>A datagram from an unknown address must be a ClientHello. Without a valid cookie it is
 * answered statelessly with a HelloVerifyRequest from the configuration's
 * {@link CookieAuthority} and nothing is kept; everything else from unknown addresses is
 * dropped and counted. Only a ClientHello whose cookie verifies creates a provider session.
 * Where the context's backend accepts no cookie but its own (the context implements
 * {@link org.dtls4j.spi.BackendCookies}), the HelloVerifyRequest carries the backend's cookie, and the listener accepts it only from
 * the client it was sent to, with the same ClientHello, within the authority's age limit: one
 * exchange on the wire either way. A ClientHello that offers DTLS 1.3 to a server configured
 * for it gets the backend's HelloRetryRequest instead ({@link org.dtls4j.spi.HelloRetryCookies}),
 * whose cookie the backend checks before a session exists; a fragmented one is answered once
 * whole, its fragments held in a small bounded table ({@link HeldHellos}).
 * Peers are then told apart on the one socket: by the connection ID a record carries, where
 * the context's configuration asks for connection IDs (RFC 9146; RFC 9147 section 4),
 * whatever address it comes from, and by address otherwise. A session's peer address moves
 * only when its session proves a record from the new address authenticated and is the newest
 * yet ({@link DtlsSessionListener#onNewestRecordAuthenticated}). The peer table is bounded
 * ({@link TransportOptions}); idle sessions and stalled handshakes are freed; a fatal alert
 * from one peer touches no other.
 *
 * <p>Connections come out through {@link #accept()} once their handshake has completed, or,
 * for servers that must not spend a thread per peer, through a
 * {@link DtlsConnectionHandler} given to {@link #bind(DtlsContext, InetSocketAddress,
 * TransportOptions, DtlsConnectionHandler)}.
 *
 * <p>Thread-safe.
 *
 * <p>This file is over 400 lines because the stateless front door (the cookie exchanges of
 * both versions) and the routing of datagrams to sessions (connection ID, address, migration)
 * share the receive loop's state and counters; the pieces that stand alone are their own
 * classes ({@link ListenerCookies}, {@link HeldHellos}, {@link ServerPeers},
 * {@link ConnectionIdRoutes}, {@link PeerConnection}). Splitting the front door out is the
 * next step if it grows again.
 *
 * @since 0.1
 */
public final class DtlsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DtlsServer.class.getName());
    private static final int READ_BATCH = 64;

    private final DtlsContext context;
    private final TransportOptions options;
    private final DtlsConnectionHandler handler;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final EventLoop[] loops;
    private final Counters counters = new Counters();
    private final BlockingQueue<PeerConnection> accepted = new LinkedBlockingQueue<>();
    // loop-0 confined
    private final ByteBuffer in;
    private final ByteBuffer out = ByteBuffer.allocate(512);
    private final ClientHellos hellos = new ClientHellos();
    private final ListenerCookies cookies;
    private final HeldHellos held = new HeldHellos(System::nanoTime);
    /** Whether the context's config includes DTLS 1.3, so a 1.3 ClientHello takes the 1.3 exchange. */
    private final boolean acceptsDtls13;
    /** Sessions by connection ID; empty when the configuration asks for none. */
    private final ConnectionIdRoutes<PeerConnection> routes;
    /** Sessions by address (and by connection ID, through {@link #routes}). */
    private final ServerPeers peers;
    /** The context, where it takes the connection IDs the listener issues; else null (it draws its own). */
    private final TransportConnectionIds issuer;
    private volatile boolean closed;

    private DtlsServer(DtlsContext context, InetSocketAddress local, TransportOptions options,
                       DtlsConnectionHandler handler) throws IOException {
        this.context = context;
        this.options = options;
        this.handler = handler;
        this.cookies = ListenerCookies.of(context);
        this.acceptsDtls13 = context.config().protocolVersions().contains(ProtocolVersion.DTLS_1_3);
        int idLength = context.config().connectionIdLength().orElse(0);
        requireRoomForSessions(idLength, options.maxSessions());
        this.routes = new ConnectionIdRoutes<>(idLength, acceptsDtls13);
        this.issuer = routes.enabled() && context instanceof TransportConnectionIds t ? t : null;
        this.peers = new ServerPeers(routes, counters, handler == null ? accepted : null);
        this.in = ByteBuffer.allocateDirect(Math.max(2048, context.config().maxDatagramSize() + 512));
        boolean v6 = local.getAddress() instanceof java.net.Inet6Address;
        this.channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.configureBlocking(false);
            // Many peers share this socket: ask for room for bursts (the kernel may cap it).
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(local);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.loops = new EventLoop[options.ioThreads()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("server-io");
        }
        loops[0].register(channel, key -> readAll());
    }

    /** A CID space smaller than the session limit cannot give every session a CID of its own: refused at bind. */
    private static void requireRoomForSessions(int idLength, int maxSessions) {
        if (idLength > 0 && idLength < 3 && (1 << (8 * idLength)) < maxSessions) {
            throw new DtlsConfigurationException("connectionIdLength " + idLength + " gives at most "
                    + (1 << (8 * idLength)) + " live sessions distinct IDs, fewer than maxSessions " + maxSessions
                    + ": use connectionIdLength(" + (idLength + 1) + ") or more, or TransportOptions maxSessions("
                    + (1 << (8 * idLength)) + ") or fewer");
        }
    }

    /**
     * Binds a server with the default {@link TransportOptions}; connections come out of
     * {@link #accept()}.
     *
     * @param local the address to bind; port 0 picks a free port ({@link #localAddress()})
     * @param context the context whose provider runs every session
     * @return the bound server, already receiving
     * @throws IOException if the socket cannot be bound (for example the port is in use)
     * @throws DtlsConfigurationException if the context's connection IDs are too short to give
     *         {@link TransportOptions#maxSessions()} sessions one each
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress local) throws IOException {
        return new DtlsServer(context, local, TransportOptions.defaults(), null);
    }

    /**
     * Binds a server with explicit options; connections come out of {@link #accept()}.
     *
     * @param context the context whose provider runs every session
     * @param local the address to bind; port 0 picks a free port
     * @param options the limits and threads of the transport
     * @return the bound server, already receiving
     * @throws IOException if the socket cannot be bound
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress local, TransportOptions options)
            throws IOException {
        return new DtlsServer(context, local, options, null);
    }

    /**
     * Binds a server that hands every connection and record to {@code handler} on its I/O
     * threads; {@link #accept()} is then not used.
     *
     * @param context the context whose provider runs every session
     * @param local the address to bind; port 0 picks a free port
     * @param options the limits and threads of the transport
     * @param handler called on the I/O threads; it must not block
     * @return the bound server, already receiving
     * @throws IOException if the socket cannot be bound
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress local, TransportOptions options,
                                  DtlsConnectionHandler handler) throws IOException {
        return new DtlsServer(context, local, options, Objects.requireNonNull(handler, "handler"));
    }

    /** {@return the bound address, with the real port when port 0 was asked for} */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Waits for the next connection whose handshake has completed.
     *
     * @return the connection, its handshake completed
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the server has a handler
     */
    public DtlsConnection accept() throws InterruptedException {
        requireBlockingMode();
        return accepted.take();
    }

    /**
     * Waits up to {@code timeout} for the next connection.
     *
     * @param timeout how long to wait
     * @return the connection, its handshake completed
     * @throws DtlsTimeoutException if none completed its handshake in time
     * @throws InterruptedException if interrupted while waiting
     */
    public DtlsConnection accept(Duration timeout) throws InterruptedException {
        requireBlockingMode();
        PeerConnection p = accepted.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (p == null) {
            throw new DtlsTimeoutException("no connection within " + timeout.toMillis() + " ms");
        }
        return p;
    }

    /** {@return the server's counters} */
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** Closes every connection (with close_notify), the socket and the I/O threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PeerConnection p : peers.all()) {
            p.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the server socket", e);
        }
        for (EventLoop loop : loops) {
            loop.close();
        }
    }

    private void requireBlockingMode() {
        if (handler != null) {
            throw new IllegalStateException("this server hands connections to its DtlsConnectionHandler");
        }
    }

    // --- loop 0 ---

    private void readAll() {
        for (int i = 0; i < READ_BATCH; i++) {
            in.clear();
            SocketAddress from;
            try {
                from = channel.receive(in);
            } catch (PortUnreachableException e) {
                counters.drop(DropReason.ICMP);
                continue;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "receive failed on " + localAddress, e);
                }
                return;
            }
            if (from == null) {
                return;
            }
            in.flip();
            dispatch(in, (InetSocketAddress) from);
        }
    }

    /**
     * Hands a datagram to its peer's connection (by connection ID, then by address), or reads
     * it as a new peer's ClientHello. A datagram is counted once: by the connection it reaches
     * (whose counters add to the server's), or by the server when it reaches none.
     */
    private void dispatch(ByteBuffer datagram, InetSocketAddress from) {
        if (routes.enabled()) {
            PeerConnection byId = routes.find(datagram);
            if (byId != null) {
                deliver(byId, datagram, from);
                return;
            }
            if (routes.carriedConnectionId()) {
                // A session that drew its own connection ID is routed by it only once its
                // handshake completes: until then its peer's address finds it.
                PeerConnection unrouted = peers.get(from);
                if (unrouted != null && unrouted.connectionId == null) {
                    deliver(unrouted, datagram, from);
                } else {
                    counters.drop(DropReason.UNKNOWN_CONNECTION_ID);
                    counters.inc(Counter.DATAGRAMS_IN);
                }
                return;
            }
        }
        PeerConnection known = peers.get(from);
        if (known != null && !(known.state() == DtlsSessionState.ESTABLISHED
                && ClientHellos.startsWithClientHello(datagram))) {
            deliver(known, datagram, from);
            return;
        }
        if (!admit(datagram, from, known)) {
            counters.inc(Counter.DATAGRAMS_IN);
        }
    }

    /**
     * The stateless front door: answers a ClientHello without a valid cookie, drops what is no
     * ClientHello, and starts a session for one whose cookie verifies.
     *
     * @return whether a new connection took the datagram
     */
    private boolean admit(ByteBuffer datagram, InetSocketAddress from, PeerConnection known) {
        Verdict v = hellos.read(datagram);
        if (v == Verdict.NOT_FIRST_FRAGMENT && held.holds(from)) {
            HeldHellos.Whole whole = held.add(from, datagram).orElse(null);
            if (whole == null || hellos.read(whole.record()) != Verdict.CLIENT_HELLO) {
                return false;
            }
            return admitHello(whole.record(), whole.received(), from, known);
        }
        if (v != Verdict.CLIENT_HELLO) {
            counters.drop(dropReason(v));
            return false;
        }
        if (acceptsDtls13 && heldUntilWhole(datagram, from)) {
            return false;
        }
        return admitHello(datagram, datagram.remaining(), from, known);
    }

    /**
     * Admits the ClientHello {@link #hellos} has just read from {@code hello}, which came in
     * {@code received} bytes: answers it if its cookie is missing or bad, else starts a session.
     */
    private boolean admitHello(ByteBuffer hello, int received, InetSocketAddress from, PeerConnection known) {
        if (hellos.offersDtls13() && acceptsDtls13) {
            if (!verifiedRetry(hello, received, from)) {
                return false;
            }
        } else if (!verifiedCookie(hello, from, hellos.parameters())) {
            return false;
        }
        counters.inc(Counter.COOKIES_VERIFIED);
        if (known == null && peers.size() >= options.maxSessions()) {
            counters.drop(DropReason.SESSION_LIMIT);
            return false;
        }
        if (peers.handshaking() >= options.maxHandshakes()) {
            counters.drop(DropReason.HANDSHAKE_LIMIT);
            return false;
        }
        return startSession(hello, from, known);
    }

    /**
     * Holds a fragmented cookie-less ClientHello that offers DTLS 1.3, or may in extensions its
     * first fragment does not show, until it is whole ({@link HeldHellos}): a 1.3 backend can
     * answer only the whole message, whose hash its cookie carries.
     *
     * @return whether it is held (or dropped as malformed)
     */
    private boolean heldUntilWhole(ByteBuffer datagram, InetSocketAddress from) {
        if (!hellos.isFragmented() || hellos.hasCookie() || (hellos.sawAllExtensions()
                && (!hellos.offersDtls13() || cookies.returnedCookie(from, datagram.duplicate()) != ReturnedCookie.ABSENT))) {
            return false;
        }
        long evicted = held.evicted();
        if (!held.start(from, datagram)) {
            counters.drop(DropReason.MALFORMED);
        } else if (held.evicted() != evicted) {
            counters.drop(DropReason.HELD_HELLO_EVICTED);
        }
        return true;
    }

    /**
     * The DTLS 1.0/1.2 exchange: whether the ClientHello's cookie verifies; if not, answers it
     * with a HelloVerifyRequest. A client that offers 1.3 too gets here from a server configured
     * without 1.3, and continues in 1.2 (RFC 9147 section 5.3 allows it).
     */
    private boolean verifiedCookie(ByteBuffer datagram, InetSocketAddress from, ByteBuffer params) {
        byte[] cookie = hellos.hasCookie() ? hellos.cookie(datagram) : null;
        if (cookie != null && cookies.accepts(from, params, cookie)) {
            return true;
        }
        if (cookie != null) {
            counters.inc(Counter.COOKIES_REJECTED);
        }
        sendHelloVerifyRequest(cookies.issue(from, params, datagram), from);
        return false;
    }

    /**
     * The DTLS 1.3 exchange, for a ClientHello that offers 1.3 to a server configured for it:
     * whether it returns a backend cookie that verifies for {@code from}. A cookie-less one (whole:
     * {@link #heldUntilWhole}) is answered with the backend's HelloRetryRequest, or dropped
     * where the backend makes none;
     * one with a bad cookie is dropped, not answered: a 1.3 client aborts on a second
     * HelloRetryRequest (RFC 8446 section 4.1.4), so a new one could not help it.
     */
    private boolean verifiedRetry(ByteBuffer hello, int received, InetSocketAddress from) {
        if (!cookies.retries()) {
            counters.drop(DropReason.NO_HELLO_RETRY);
            return false;
        }
        ReturnedCookie returned = cookies.returnedCookie(from, hello.duplicate());
        if (returned == ReturnedCookie.VALID) {
            return true;
        }
        if (returned == ReturnedCookie.INVALID) {
            counters.inc(Counter.COOKIES_REJECTED);
            return false;
        }
        answerRetry(hello.duplicate(), received, from);
        return false;
    }

    /**
     * Sends the backend's HelloRetryRequest for a whole cookie-less DTLS 1.3 ClientHello that
     * came in {@code budget} bytes, or drops it where the backend makes none or would amplify.
     */
    private void answerRetry(ByteBuffer hello, int budget, InetSocketAddress from) {
        List<ByteBuffer> answer = cookies.helloRetryRequest(from, hello);
        int total = 0;
        for (ByteBuffer d : answer) {
            total += d.remaining();
        }
        if (answer.isEmpty()) {
            counters.drop(DropReason.NO_HELLO_RETRY);
        } else if (total > budget) {
            counters.drop(DropReason.AMPLIFICATION);
        } else {
            for (ByteBuffer d : answer) {
                sendCookie(d, from);
            }
        }
    }

    /**
     * Why a datagram the ClientHello reader turned down is dropped. A switch, so that a new
     * verdict does not compile until it has a reason, and renaming either side cannot make
     * the receive path throw.
     *
     * @throws IllegalArgumentException for {@link Verdict#CLIENT_HELLO}, which is not a drop
     */
    static DropReason dropReason(Verdict v) {
        return switch (v) {
            case MALFORMED -> DropReason.MALFORMED;
            case NOT_HANDSHAKE -> DropReason.NOT_HANDSHAKE;
            case BAD_VERSION -> DropReason.BAD_VERSION;
            case NOT_EPOCH_ZERO -> DropReason.NOT_EPOCH_ZERO;
            case NOT_CLIENT_HELLO -> DropReason.NOT_CLIENT_HELLO;
            case NOT_FIRST_FRAGMENT -> DropReason.NOT_FIRST_FRAGMENT;
            case TRUNCATED -> DropReason.TRUNCATED;
            case CLIENT_HELLO -> throw new IllegalArgumentException("a ClientHello is not dropped");
        };
    }

    private void sendHelloVerifyRequest(byte[] cookie, InetSocketAddress to) {
        if (!hellos.writeHelloVerifyRequest(cookie, out)) {
            counters.drop(DropReason.AMPLIFICATION);
            return;
        }
        sendCookie(out, to);
    }

    /** Sends a datagram that carries a cookie (a HelloVerifyRequest or HelloRetryRequest). */
    private void sendCookie(ByteBuffer datagram, InetSocketAddress to) {
        try {
            if (channel.send(datagram, to) > 0) {
                counters.inc(Counter.COOKIES_SENT);
                counters.inc(Counter.DATAGRAMS_OUT);
            } else {
                counters.drop(DropReason.SEND_BUFFER_FULL);
            }
        } catch (IOException e) {
            counters.drop(DropReason.SEND_BUFFER_FULL);
        }
    }

    /** @return whether the connection was made (and took the ClientHello) */
    private boolean startSession(ByteBuffer clientHello, InetSocketAddress from, PeerConnection predecessor) {
        EventLoop loop = loops[Math.floorMod(from.hashCode(), loops.length)];
        PeerConnection peer = new PeerConnection(loop, channel, false, from, context.config(), peers,
                new Counters(counters), handler, options);
        byte[] id = null;
        if (issuer != null) {
            id = routes.issue(peer);
            if (id == null) {
                counters.drop(DropReason.SESSION_LIMIT); // the connection ID space is full
                return false;
            }
            peer.connectionId = id;
        }
        DtlsSession session;
        try {
            session = id == null ? context.newServerSession(from, peer.listener())
                    : issuer.newServerSession(from, peer.listener(), id.clone());
        } catch (DtlsException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot create a server session for " + from, e);
            counters.inc(Counter.HANDSHAKES_FAILED);
            if (id != null) {
                routes.release(id, peer);
            }
            return false;
        }
        peer.attach(session);
        peer.predecessor = predecessor;
        peers.add(from, peer);
        counters.add(Counter.LIVE_SESSIONS, predecessor == null ? 1 : 0);
        if (loop == loops[0]) {
            peer.begin(clientHello);
        } else {
            ByteBuffer copy = ByteBuffer.allocate(clientHello.remaining()).put(clientHello).flip();
            loop.execute(() -> peer.begin(copy));
        }
        return true;
    }

    private void deliver(PeerConnection peer, ByteBuffer datagram, InetSocketAddress from) {
        if (peer.loop == loops[0]) {
            peer.receive(datagram, from);
        } else {
            ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
            peer.loop.execute(() -> peer.receive(copy, from));
        }
    }
}
