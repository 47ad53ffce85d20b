package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.TransportConnectionIds;

/**
 * One of a {@link DtlsServer}'s sockets and the thread that reads it: finds each datagram's
 * session (by connection ID, then by address) or hands it to the socket's {@link FrontDoor},
 * and starts the sessions whose cookie verifies.
 *
 * <p>A session started here is driven by this socket's loop and answers from this socket,
 * so a datagram that arrives on its session's own socket is received on the reading thread
 * itself: no copy, no queue, no lock but the session's own (uncontended) one. Only a datagram
 * whose session another loop drives is copied and handed over ({@link Counter#HANDOFFS}).
 *
 * <p>Not thread-safe: everything but construction runs on the socket's own loop.
 */
final class ListenerSocket {

    private static final System.Logger LOG = System.getLogger(ListenerSocket.class.getName());
    private static final int READ_BATCH = 64;

    /** What all of a listener's sockets share: one session table, one CID table, one set of cookies and counters. */
    record Shared(DtlsContext context, TransportOptions options, DtlsConnectionHandler handler, Counters counters,
                  ServerPeers peers, ConnectionIdRoutes<PeerConnection> routes, TransportConnectionIds issuer,
                  ListenerCookies cookies, boolean acceptsDtls13) {
    }

    private final Shared shared;
    private final DatagramChannel channel;
    private final EventLoop loop;
    /** The loops new sessions go to: this socket's own, or (one socket for all loops) every loop by address. */
    private final EventLoop[] sessionLoops;
    private final FrontDoor frontDoor;
    private final ConnectionIdRoutes<PeerConnection>.Lookup lookup;
    private final ByteBuffer in;

    ListenerSocket(Shared shared, DatagramChannel channel, EventLoop loop, EventLoop[] sessionLoops) {
        this.shared = shared;
        this.channel = channel;
        this.loop = loop;
        this.sessionLoops = sessionLoops;
        this.frontDoor = new FrontDoor(channel, shared.cookies(), shared.counters(), shared.acceptsDtls13());
        this.lookup = shared.routes().lookup();
        this.in = ByteBuffer.allocateDirect(Math.max(2048, shared.context().config().maxDatagramSize() + 512));
    }

    /** Starts reading the socket on its loop. */
    void start() {
        loop.register(channel, key -> readAll());
    }

    DatagramChannel channel() {
        return channel;
    }

    private void readAll() {
        Counters counters = shared.counters();
        for (int i = 0; i < READ_BATCH; i++) {
            in.clear();
            SocketAddress from;
            try {
                from = channel.receive(in);
            } catch (PortUnreachableException e) {
                counters.drop(DropReason.ICMP);
                continue;
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "receive failed on " + channel, e);
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
        Counters counters = shared.counters();
        if (shared.routes().enabled()) {
            PeerConnection byId = lookup.find(datagram);
            if (byId != null) {
                deliver(byId, datagram, from);
                return;
            }
            if (lookup.carriedConnectionId()) {
                // A session that drew its own connection ID is routed by it only once its
                // handshake completes: until then its peer's address finds it.
                PeerConnection unrouted = shared.peers().get(from);
                if (unrouted != null && unrouted.connectionId == null) {
                    deliver(unrouted, datagram, from);
                } else {
                    counters.drop(DropReason.UNKNOWN_CONNECTION_ID);
                    counters.inc(Counter.DATAGRAMS_IN);
                }
                return;
            }
        }
        PeerConnection known = shared.peers().get(from);
        if (known != null && !(ClientHellos.startsWithClientHello(datagram)
                && (known.state() == DtlsSessionState.ESTABLISHED || known.restartedBy(datagram)))) {
            deliver(known, datagram, from);
            return;
        }
        ByteBuffer hello = frontDoor.admit(datagram, from);
        if (hello == null || !startSession(hello, from, known)) {
            counters.inc(Counter.DATAGRAMS_IN);
        }
    }

    /** @return whether the connection was made (and took the ClientHello) */
    private boolean startSession(ByteBuffer clientHello, InetSocketAddress from, PeerConnection predecessor) {
        Counters counters = shared.counters();
        if (predecessor != null && predecessor.state() != DtlsSessionState.ESTABLISHED) {
            // A handshake the client gave up (a new ClientHello, a new random, a valid cookie):
            // nothing in it is worth keeping, and its address and handshake slot are free now,
            // not when its handshake times out.
            if (!predecessor.handshake.isDone()) {
                predecessor.abandon(new DtlsClosedException("the client restarted its handshake"));
            }
            predecessor = null;
        }
        boolean newAddress = predecessor == null;
        DropReason full = shared.peers().reserve(newAddress);
        if (full != null) {
            counters.drop(full);
            return false;
        }
        EventLoop target = sessionLoops.length == 1 ? sessionLoops[0]
                : sessionLoops[Math.floorMod(from.hashCode(), sessionLoops.length)];
        PeerConnection peer = new PeerConnection(target, channel, false, from, shared.context().config(),
                shared.peers(), new Counters(counters), shared.handler(), shared.options());
        DtlsSession session = newSession(peer, from);
        if (session == null) {
            shared.peers().unreserve(newAddress);
            return false;
        }
        peer.attach(session, shared.context().providerName());
        peer.startedBy(clientHello);
        peer.predecessor = predecessor;
        shared.peers().add(from, peer, newAddress);
        if (target == loop) {
            peer.begin(clientHello);
        } else {
            ByteBuffer copy = ByteBuffer.allocate(clientHello.remaining()).put(clientHello).flip();
            counters.inc(Counter.HANDOFFS);
            target.execute(() -> peer.begin(copy));
        }
        return true;
    }

    /** The provider's session for {@code peer}, with a connection ID the listener issues where it takes one; null if none. */
    private DtlsSession newSession(PeerConnection peer, InetSocketAddress from) {
        Counters counters = shared.counters();
        TransportConnectionIds issuer = shared.issuer();
        byte[] id = null;
        if (issuer != null) {
            id = shared.routes().issue(peer);
            if (id == null) {
                counters.drop(DropReason.SESSION_LIMIT); // the connection ID space is full
                return null;
            }
            peer.connectionId = id;
        }
        try {
            return id == null ? shared.context().newServerSession(from, peer.listener())
                    : issuer.newServerSession(from, peer.listener(), id.clone());
        } catch (DtlsException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot create a server session for " + from, e);
            counters.inc(Counter.HANDSHAKES_FAILED);
            if (id != null) {
                shared.routes().release(id, peer);
            }
            return null;
        }
    }

    /** Into the session on this thread if this loop drives it; else a copy, handed to the loop that does. */
    private void deliver(PeerConnection peer, ByteBuffer datagram, InetSocketAddress from) {
        if (peer.loop == loop) {
            peer.receive(datagram, from);
        } else {
            ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
            shared.counters().inc(Counter.HANDOFFS);
            peer.loop.execute(() -> peer.receive(copy, from));
        }
    }
}
