package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;

/**
 * A server's peer table: its connections by address (and, through {@link ConnectionIdRoutes},
 * by connection ID), what it learns from them (established, ended, moved), and how many are
 * still handshaking. One entry per live connection at most in each table, so
 * {@link TransportOptions#maxSessions()} bounds both, however often peers move.
 *
 * <p>It is the connections' {@link PeerConnection.Owner}, kept out of {@link DtlsServer} so
 * that the owner's callbacks are no part of the server's API. Thread-safe; a connection's end
 * and its moves are serialized, so a connection always ends at the address it last moved to.
 */
final class ServerPeers implements PeerConnection.Owner {

    private final ConcurrentHashMap<InetSocketAddress, PeerConnection> byAddress = new ConcurrentHashMap<>();
    private final ConnectionIdRoutes<PeerConnection> routes;
    private final Counters counters;
    /** Where established connections go for {@code accept()}; null when a handler takes them. */
    private final Queue<PeerConnection> accepted;
    private final AtomicInteger handshaking = new AtomicInteger();

    ServerPeers(ConnectionIdRoutes<PeerConnection> routes, Counters counters, Queue<PeerConnection> accepted) {
        this.routes = routes;
        this.counters = counters;
        this.accepted = accepted;
    }

    /** The connection at {@code address}, or null. */
    PeerConnection get(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** Live connections by address (handshaking or established). */
    int size() {
        return byAddress.size();
    }

    /** Connections whose handshake has not completed and still counts against the limit. */
    int handshaking() {
        return handshaking.get();
    }

    /** Every connection in the table, to close them. */
    Collection<PeerConnection> all() {
        return byAddress.values();
    }

    /** A new connection at {@code address}, handshaking; it replaces any there (its predecessor). */
    void add(InetSocketAddress address, PeerConnection peer) {
        handshaking.incrementAndGet();
        byAddress.put(address, peer);
    }

    @Override
    public void established(PeerConnection peer) {
        if (peer.releaseHandshakeSlot()) {
            handshaking.decrementAndGet();
        }
        if (routes.enabled() && peer.connectionId == null) {
            registerOwnConnectionId(peer);
        }
        if (accepted != null) {
            accepted.add(peer);
        }
    }

    /** A session that drew its own connection ID is routed by it if no other live one holds it. */
    private void registerOwnConnectionId(PeerConnection peer) {
        byte[] id = peer.info().localConnectionId().orElse(null);
        if (id != null && routes.register(id, peer)) {
            peer.connectionId = id;
            if (peer.ended()) {
                routes.release(id, peer);
            }
        }
    }

    @Override
    public synchronized void ended(PeerConnection peer, boolean handshakeFailed) {
        if (peer.releaseHandshakeSlot()) {
            handshaking.decrementAndGet();
        }
        byte[] id = peer.connectionId;
        if (id != null) {
            routes.release(id, peer);
        }
        PeerConnection old = peer.predecessor;
        if (old != null && byAddress.replace(peer.peerAddress(), peer, old)) {
            return; // the restarted client's handshake failed: the live session stays
        }
        if (byAddress.remove(peer.peerAddress(), peer)) {
            counters.add(Counter.LIVE_SESSIONS, -1);
        }
    }

    /**
     * Moves a live connection to a new address, unless another live connection is there; the
     * old address's entry goes with it.
     */
    @Override
    public synchronized boolean move(PeerConnection peer, InetSocketAddress to) {
        if (peer.ended()) {
            return false;
        }
        PeerConnection there = byAddress.putIfAbsent(to, peer);
        if (there != null && there != peer) {
            return false;
        }
        byAddress.remove(peer.peerAddress(), peer);
        peer.movedTo(to);
        return true;
    }
}
