package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.TransportConnectionIds;

/**
 * The listener logic of one socket, apart from how the socket is read: finds each datagram's
 * session (by connection ID, then by address) or hands it to the socket's {@link FrontDoor},
 * and starts the sessions whose cookie verifies. The NIO transport's {@link ListenerSocket}
 * feeds it what it reads; {@link DatagramListener} feeds it what a transport driver reads.
 *
 * <p>Not thread-safe: everything but construction runs on the socket's own loop.
 */
final class PeerDispatch {

    private static final System.Logger LOG = System.getLogger(PeerDispatch.class.getName());

    private final ListenerSocket.Shared shared;
    private final DatagramOutput output;
    private final SessionLoop loop;
    /** The loops new sessions go to: this socket's own, or (one socket for all loops) every loop by address. */
    private final SessionLoop[] sessionLoops;
    private final FrontDoor frontDoor;
    private final ConnectionIdRoutes<PeerConnection>.Lookup lookup;

    /**
     * @param output the socket's send half, where the front door answers and new sessions send
     * @param loop the loop that reads the socket (and calls {@link #dispatch})
     * @param sessionLoops the loops new sessions are spread over
     */
    PeerDispatch(ListenerSocket.Shared shared, DatagramOutput output, SessionLoop loop, SessionLoop[] sessionLoops) {
        this.shared = shared;
        this.output = output;
        this.loop = loop;
        this.sessionLoops = sessionLoops;
        this.frontDoor = new FrontDoor(output, shared.cookies(), shared.counters(), shared.acceptsDtls13());
        this.lookup = shared.routes().lookup();
    }

    /**
     * Hands a datagram to its peer's connection (by connection ID, then by address), or reads
     * it as a new peer's ClientHello. A datagram is counted once: by the connection it reaches
     * (whose counters add to the server's), or by the server when it reaches none.
     */
    void dispatch(ByteBuffer datagram, InetSocketAddress from) {
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
        SessionLoop target = sessionLoops.length == 1 ? sessionLoops[0]
                : sessionLoops[Math.floorMod(from.hashCode(), sessionLoops.length)];
        PeerConnection peer = new PeerConnection(target, output, from, shared.context().config(),
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
