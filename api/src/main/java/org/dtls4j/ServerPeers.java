package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;

/**
 * A server's peer table: its connections by address (and, through {@link ConnectionIdRoutes},
 * by connection ID), what it learns from them (established, ended, moved), and how many are
 * still handshaking. One entry per live connection at most in each table, so
 * {@link TransportOptions#maxSessions()} bounds both, however often peers move.
 *
 * <p>One table per listener, whatever its number of sockets and I/O threads: a new session
 * first reserves its slots ({@link #reserve}), by compare-and-set, so that
 * {@link TransportOptions#maxSessions()} and {@link TransportOptions#maxHandshakes()} bound the
 * listener in total, never per thread. Lookups by address take no lock.
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
    /** Addresses with a live connection (a restarted client's new one replaces, it adds none). */
    private final AtomicInteger sessions = new AtomicInteger();
    private final int maxSessions;
    private final int maxHandshakes;

    ServerPeers(ConnectionIdRoutes<PeerConnection> routes, Counters counters, Queue<PeerConnection> accepted,
                TransportOptions options) {
        this.routes = routes;
        this.counters = counters;
        this.accepted = accepted;
        this.maxSessions = options.maxSessions();
        this.maxHandshakes = options.maxHandshakes();
    }

    /**
     * Reserves a handshake slot, and a session slot when {@code newAddress} (no connection is
     * at the client's address yet), for a session about to start; the caller then {@link #add}s
     * it or gives the slots back ({@link #unreserve}).
     *
     * @return null if reserved, else why not ({@code SESSION_LIMIT} or {@code HANDSHAKE_LIMIT})
     */
    DropReason reserve(boolean newAddress) {
        if (newAddress && !below(sessions, maxSessions)) {
            return DropReason.SESSION_LIMIT;
        }
        if (!below(handshaking, maxHandshakes)) {
            if (newAddress) {
                sessions.decrementAndGet();
            }
            return DropReason.HANDSHAKE_LIMIT;
        }
        return null;
    }

    /** Gives back what {@link #reserve} took, for a session that did not start. */
    void unreserve(boolean newAddress) {
        handshaking.decrementAndGet();
        if (newAddress) {
            sessions.decrementAndGet();
        }
    }

    /** Increments {@code n} if it is below {@code limit}: whether it did. */
    private static boolean below(AtomicInteger n, int limit) {
        for (int v = n.get(); v < limit; v = n.get()) {
            if (n.compareAndSet(v, v + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The connection at {@code address}, or null. */
    PeerConnection get(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** Live connections by address (handshaking or established), with the slots reserved for new ones. */
    int size() {
        return sessions.get();
    }

    /** Connections whose handshake has not completed and still counts against the limit. */
    int handshaking() {
        return handshaking.get();
    }

    /** Every connection in the table, to close them. */
    Collection<PeerConnection> all() {
        return byAddress.values();
    }

    /** Closes every connection in the table (each sends its close_notify): a listener's close. */
    void closeAll() {
        for (PeerConnection p : byAddress.values()) {
            p.close();
        }
    }

    /**
     * A new connection at {@code address}, handshaking, whose slots {@link #reserve} took; it
     * replaces any there (its predecessor).
     *
     * @param newAddress what was given to {@link #reserve}
     */
    void add(InetSocketAddress address, PeerConnection peer, boolean newAddress) {
        PeerConnection there = byAddress.put(address, peer);
        if (there == null) {
            if (!newAddress) {
                sessions.incrementAndGet(); // the predecessor ended meanwhile, on another thread
            }
            counters.inc(Counter.LIVE_SESSIONS);
        } else if (newAddress) {
            sessions.decrementAndGet(); // another thread's new connection got there first
        }
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
            sessions.decrementAndGet();
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
