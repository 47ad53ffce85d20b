package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.spi.ConfigFacts;

/**
 * A DTLS server on one UDP port: the {@code DTLSv1_listen} of dtls4j, for many peers.
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
 * whole, its fragments held in a small bounded table ({@link HeldHellos}). That stateless
 * front door is {@link FrontDoor}.
 * Peers are then told apart: by the connection ID a record carries, where
 * the context's configuration asks for connection IDs (RFC 9146; RFC 9147 section 4),
 * whatever address it comes from, and by address otherwise. A session's peer address moves
 * only when its session proves a record from the new address authenticated and is the newest
 * yet ({@link DtlsSessionListener#onNewestRecordAuthenticated}). The peer table is bounded
 * ({@link TransportOptions}); idle sessions and stalled handshakes are freed; a fatal alert
 * from one peer touches no other.
 *
 * <p><b>Threads.</b> With {@link TransportOptions.Builder#ioThreads(int) ioThreads(n)}, n above 1, the
 * server binds n sockets to the same address with {@code SO_REUSEPORT}, each read by its own
 * I/O thread ({@link ListenerSocket}); the kernel spreads peers over them by 4-tuple, so a
 * session is started, read, driven and answered on the one thread whose socket its client's
 * datagrams reach: that path takes no lock but the session's own, uncontended one, and hands
 * nothing to another thread. What the sockets share is made for it: one session table and one
 * connection-ID table (lock-free reads; new sessions reserve their slots by compare-and-set,
 * so {@code maxSessions} and {@code maxHandshakes} bound the listener in total), one set of
 * cookies (a cookie minted on one socket verifies on any), and one set of counters (adders).
 * The one crossing: a record whose connection ID names a session of another socket (its
 * client's NAT rebound, and the new 4-tuple hashed to another socket) is copied and handed to
 * the thread that drives it, and counted ({@link TransportStats#handoffs()}); the session
 * then moves as always, and keeps answering from its own socket, which has the same local
 * address. Where {@code SO_REUSEPORT} is not available the server binds one socket, read by
 * one thread that spreads new sessions over the n threads and hands each datagram to its
 * session's thread, and says so once in the log (INFO).
 *
 * <p>Connections come out through {@link #accept()} once their handshake has completed, or,
 * for servers that must not spend a thread per peer, through a
 * {@link DtlsConnectionHandler} given to {@link #bind(DtlsContext, InetSocketAddress,
 * TransportOptions, DtlsConnectionHandler)}.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class DtlsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DtlsServer.class.getName());

    private final DtlsConnectionHandler handler;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final InetSocketAddress localAddress;
    private final EventLoop[] loops;
    private final Counters counters = new Counters();
    private final BlockingQueue<PeerConnection> accepted = new LinkedBlockingQueue<>();
    /** Sessions by address (and by connection ID, through its routes), one table for every socket. */
    private final ServerPeers peers;
    private volatile boolean closed;

    private DtlsServer(DtlsContext context, InetSocketAddress local, TransportOptions options,
                       DtlsConnectionHandler handler, boolean reusePortAllowed) throws IOException {
        this.handler = handler;
        ListenerSocket.Shared shared = ListenerSocket.Shared.create(context, options, handler, counters,
                handler == null ? accepted : null);
        this.peers = shared.peers();
        int n = options.ioThreads();
        boolean reusePort = n > 1 && reusePortAllowed;
        try {
            DatagramChannel first = open(local);
            reusePort = reusePort && first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            bind(first, local, reusePort);
            this.localAddress = (InetSocketAddress) first.getLocalAddress();
            for (int i = 1; reusePort && i < n; i++) {
                bind(open(local), localAddress, true);
            }
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e;
        }
        if (n > 1 && !reusePort) {
            LOG.log(System.Logger.Level.INFO, reusePortUnavailable(localAddress, n));
        }
        this.loops = new EventLoop[n];
        for (int i = 0; i < n; i++) {
            loops[i] = new EventLoop("server-io");
        }
        for (int i = 0; i < channels.size(); i++) {
            EventLoop[] sessionLoops = reusePort ? new EventLoop[] {loops[i]} : loops;
            new ListenerSocket(shared, channels.get(i), loops[i], sessionLoops).start();
        }
    }

    /** The log line of a server with several I/O threads and no {@code SO_REUSEPORT}: what it does instead. */
    static String reusePortUnavailable(InetSocketAddress local, int ioThreads) {
        return "SO_REUSEPORT is not available here: the DTLS server on " + local + " reads its one socket with"
                + " one thread, which hands each datagram to its session's thread among the " + ioThreads
                + " (ioThreads spreads the sessions, not the reading)";
    }

    /** Opens a non-blocking channel of {@code local}'s family and keeps it, to be closed with the server. */
    private DatagramChannel open(InetSocketAddress local) throws IOException {
        boolean v6 = local.getAddress() instanceof java.net.Inet6Address;
        DatagramChannel channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        channels.add(channel);
        channel.configureBlocking(false);
        return channel;
    }

    private static void bind(DatagramChannel channel, InetSocketAddress local, boolean reusePort) throws IOException {
        // Many peers share a socket: ask for room for bursts (the kernel may cap it).
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        if (reusePort) {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        channel.bind(local);
    }

    /** A CID space smaller than the session limit cannot give every session a CID of its own: refused at bind. */
    static void requireRoomForSessions(int idLength, int maxSessions) {
        if (idLength > 0 && idLength < 3 && (1 << (8 * idLength)) < maxSessions) {
            throw new DtlsConfigurationException("connectionIdLength " + idLength + " gives at most "
                    + (1 << (8 * idLength)) + " live sessions distinct IDs, fewer than maxSessions " + maxSessions
                    + ": use connectionIdLength(" + (idLength + 1) + ") or more, or TransportOptions maxSessions("
                    + (1 << (8 * idLength)) + ") or fewer");
        }
    }

    /**
     * A server asks clients for credentials only with an explicit {@link PeerVerification}, so
     * trusted raw public keys without one would trust nobody, silently: refused at bind.
     */
    static void requireClientsAskedForTrustedKeys(DtlsConfig config) {
        if (config.peerVerification().isEmpty() && ConfigFacts.acceptsRawPublicKeys(config)) {
            throw new DtlsConfigurationException("the context trusts raw public keys (rawPublicKeyTrust or"
                    + " trustedRawPublicKeys), but a server asks clients for credentials only when peerVerification is"
                    + " set: use peerVerification(REQUIRED) (or OPTIONAL) to ask for them, or peerVerification(NONE)"
                    + " to serve clients without");
        }
    }

    /**
     * Binds a server with the default {@link TransportOptions}; connections come out of
     * {@link #accept()}.
     *
     * @param context the context whose server sessions the server makes
     * @param local the address to bind; port 0 picks a free port ({@link #localAddress()})
     * @throws IOException if the socket cannot be bound (for example the port is in use)
     * @throws DtlsConfigurationException if the context's connection IDs are too short to give
     *         {@link TransportOptions#maxSessions()} sessions one each, or it trusts raw public keys
     *         without an explicit {@link PeerVerification}
     * @return the bound server, reading
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress local) throws IOException {
        return new DtlsServer(context, local, TransportOptions.defaults(), null, true);
    }

    /**
     * Binds a server with explicit options; connections come out of {@link #accept()}. With
     * {@link TransportOptions#ioThreads()} above 1 it binds one socket per I/O thread to
     * {@code local} with {@code SO_REUSEPORT}, where the platform has it (see the class comment).
     *
     * @param context the context whose server sessions the server makes
     * @param local the address to bind; port 0 picks a free port ({@link #localAddress()})
     * @param options limits, timeouts and I/O threads
     * @return the bound server, reading
     * @throws IOException if a socket cannot be bound (for example the port is in use)
     * @throws DtlsConfigurationException if the context's connection IDs are too short to give
     *         {@link TransportOptions#maxSessions()} sessions one each, or it trusts raw public keys
     *         without an explicit {@link PeerVerification}
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress local, TransportOptions options)
            throws IOException {
        return new DtlsServer(context, local, options, null, true);
    }

    /**
     * Binds a server that hands every connection and record to {@code handler} on its I/O
     * threads; {@link #accept()} is then not used. A connection's events come on the one
     * thread that drives its session.
     *
     * @param context the context whose server sessions the server makes
     * @param local the address to bind; port 0 picks a free port ({@link #localAddress()})
     * @param options limits, timeouts and I/O threads
     * @param handler takes every connection once its handshake completes, and its records
     * @return the bound server, reading
     * @throws IOException if a socket cannot be bound (for example the port is in use)
     * @throws DtlsConfigurationException if the context's connection IDs are too short to give
     *         {@link TransportOptions#maxSessions()} sessions one each, or it trusts raw public keys
     *         without an explicit {@link PeerVerification}
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress local, TransportOptions options,
                                  DtlsConnectionHandler handler) throws IOException {
        return new DtlsServer(context, local, options, Objects.requireNonNull(handler, "handler"), true);
    }

    /**
     * Binds as {@link #bind(DtlsContext, InetSocketAddress, TransportOptions, DtlsConnectionHandler)}
     * does where {@code SO_REUSEPORT} is not available: one socket, whatever {@code ioThreads}
     * (for tests of that path on machines that have it).
     */
    static DtlsServer bindWithoutReusePort(DtlsContext context, InetSocketAddress local, TransportOptions options,
                                           DtlsConnectionHandler handler) throws IOException {
        return new DtlsServer(context, local, options, handler, false);
    }

    /**
     * The bound address, with the real port when port 0 was asked for; every socket of the
     * server is bound to it.
     *
     * @return the server's address
     */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Waits for the next connection whose handshake has completed.
     *
     * @return the connection, established
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
     * @return the connection, established
     * @throws DtlsTimeoutException if none completed its handshake in time
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the server has a handler
     */
    public DtlsConnection accept(Duration timeout) throws InterruptedException {
        requireBlockingMode();
        PeerConnection p = accepted.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (p == null) {
            throw new DtlsTimeoutException("no connection within " + timeout.toMillis() + " ms");
        }
        return p;
    }

    /**
     * The server's counters, over all its sockets and connections.
     *
     * @return a snapshot of the counters
     */
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** Closes every connection (with close_notify), every socket and every I/O thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        peers.closeAll();
        closeChannels();
        for (EventLoop loop : loops) {
            loop.close();
        }
        counters.flushDropEvents();
    }

    private void closeChannels() {
        for (DatagramChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a server socket", e);
            }
        }
    }

    /** How many sockets the server reads: {@code ioThreads} with {@code SO_REUSEPORT}, else 1. */
    int sockets() {
        return channels.size();
    }

    private void requireBlockingMode() {
        if (handler != null) {
            throw new IllegalStateException("this server hands connections to its DtlsConnectionHandler");
        }
    }
}
