package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client context's resumption cache: for each server address, the last session made with
 * it (an owned copy of a {@code WOLFSSL_SESSION}, with its ticket)
 * and the chain that server presented, which a resumed session reports again. At most
 * {@value #MAX_PEERS} servers, the oldest forgotten first.
 *
 * <p>A session made by resuming another is kept only up to {@value #MAX_CHAINED} resumptions in
 * a row, then forgotten so that the next handshake is full: a wolfSSL DTLS 1.3 server carries
 * a ticket's one-byte nonce over into the session resumed from it and numbers its next ticket
 * from there, and fails the handshake once the nonce would pass 255
 * ({@code SESSION_TICKET_NONCE_OVERFLOW}, tls13.c; the nonce is read back from the ticket in
 * internal.c).
 *
 * <p>A DTLS 1.3 session is kept only once it holds a ticket of its own, one that came in a
 * NewSessionTicket of that very connection ({@link #remember}). wolfSSL 5.9.2's client writes
 * the new connection's resumption master secret into its session when it sends its Finished
 * ({@code SendTls13Finished}, tls13.c), but the ticket, its nonce and age_add change only when
 * a NewSessionTicket comes ({@code DoTls13NewSessionTicket}); and a wolfSSL server sends that
 * ticket after the ACK that completes the client's handshake, in a datagram of its own. A
 * resumed connection that closed between the two held the ticket it had resumed with beside
 * the new secret: kept, it made the next ClientHello's PSK binder one the server could not
 * verify ({@code BAD_BINDER}, -423, answered with illegal_parameter), and the same again on
 * every later connection, since a failed handshake kept nothing new. Such a session is not
 * kept: the one it resumed stays, and still resumes. And a session that a failed handshake
 * offered is forgotten ({@link #forget}), so the next handshake with that server is full.
 *
 * <p>Its one owner is the context: each
 * session pointer is freed exactly once, when replaced, evicted, or when the context is closed
 * or collected ({@link #run()}).
 *
 * <p>Thread-safe: guarded by itself.
 */
final class ClientSessions implements Runnable {

    static final int MAX_PEERS = 1024;
    static final int MAX_CHAINED = 200;

    private record Entry(Pointer session, List<X509Certificate> chain, int chained) {
    }

    /**
     * What a client offered to resume: the cache entry (the chain the server presented then,
     * how many resumptions led to it), and the ticket it offered, empty if none.
     */
    static final class Offered {
        static final Offered NONE = new Offered(new Entry(null, List.of(), 0), new byte[0]);

        private final Entry entry;
        private final byte[] ticket;

        private Offered(Entry entry, byte[] ticket) {
            this.entry = entry;
            this.ticket = ticket;
        }

        List<X509Certificate> chain() {
            return entry.chain();
        }
    }

    private final Map<InetSocketAddress, Entry> byPeer = new LinkedHashMap<>();
    private boolean closed;

    /**
     * Gives {@code ssl} a copy of the session cached for {@code peer}. A copy, because
     * {@code wolfSSL_set_session} does not copy a heap session: the {@code WOLFSSL} keeps using
     * and changing the object it was given (its session ID, when the server does not resume),
     * and sessions of one context run on several threads at once. The copies in the cache are
     * never given to a {@code WOLFSSL}.
     *
     * @return what was offered, {@link Offered#NONE} if nothing
     */
    synchronized Offered resumeInto(Pointer ssl, InetSocketAddress peer) {
        Entry e = closed ? null : byPeer.get(peer);
        Pointer copy = e == null ? null : LibWolfSsl.wolfSSL_SESSION_dup(e.session());
        if (copy == null) {
            return Offered.NONE;
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.WOLFSSL_SESSION);
        int r = LibWolfSsl.wolfSSL_set_session(ssl, copy); // the WOLFSSL takes its own reference
        free(copy);
        return r == LibWolfSsl.WOLFSSL_SUCCESS ? new Offered(e, ticketOf(ssl)) : Offered.NONE;
    }

    /**
     * Keeps the session of {@code ssl} for {@code peer}, replacing what was kept; {@code offered}
     * is what the session offered, if it {@code resumed}. A DTLS 1.3 session without a ticket
     * of its own is not kept, and what was kept stays.
     */
    void remember(InetSocketAddress peer, Pointer ssl, List<X509Certificate> chain, boolean resumed, Offered offered) {
        if (LibWolfSsl.wolfSSL_version(ssl) == LibWolfSsl.DTLS1_3_VERSION) {
            byte[] ticket = ticketOf(ssl);
            if (ticket.length == 0 || Arrays.equals(ticket, offered.ticket)) {
                return; // no NewSessionTicket yet: its ticket, if any, does not match its secret
            }
        }
        int chained = resumed ? offered.entry.chained() + 1 : 0;
        Pointer session = chained > MAX_CHAINED ? null : copyOf(ssl);
        Pointer old = null;
        Pointer evicted = null;
        synchronized (this) {
            if (closed) {
                old = session;
            } else if (session == null) {
                Entry e = byPeer.remove(peer); // the next handshake with this server is full
                old = e == null ? null : e.session();
            } else {
                Entry e = byPeer.remove(peer); // re-inserted last: the newest
                old = e == null ? null : e.session();
                byPeer.put(peer, new Entry(session, List.copyOf(chain), chained));
                if (byPeer.size() > MAX_PEERS) {
                    Iterator<Entry> oldest = byPeer.values().iterator();
                    evicted = oldest.next().session();
                    oldest.remove();
                }
            }
        }
        free(old);
        free(evicted);
    }

    /**
     * Forgets what {@code offered} offered to {@code peer}, unless another session has replaced
     * it since: its handshake failed, and the next one with that server should be full.
     */
    void forget(InetSocketAddress peer, Offered offered) {
        if (offered == Offered.NONE) {
            return;
        }
        synchronized (this) {
            if (closed || !byPeer.remove(peer, offered.entry)) {
                return;
            }
        }
        free(offered.entry.session());
    }

    /** The session ticket {@code ssl} holds now, empty if none. */
    private static byte[] ticketOf(Pointer ssl) {
        int[] size = new int[1];
        LibWolfSsl.wolfSSL_get_SessionTicket(ssl, null, size); // LENGTH_ONLY_E, the length in size
        if (size[0] <= 0) {
            return new byte[0];
        }
        byte[] ticket = new byte[size[0]];
        return LibWolfSsl.wolfSSL_get_SessionTicket(ssl, ticket, size) == LibWolfSsl.WOLFSSL_SUCCESS
                && size[0] == ticket.length ? ticket : new byte[0];
    }

    /** A copy of the session of {@code ssl}, owned by the caller; null if there is none. */
    private static Pointer copyOf(Pointer ssl) {
        Pointer own = LibWolfSsl.wolfSSL_get1_session(ssl); // the WOLFSSL's object, one more reference
        if (own == null) {
            return null;
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.WOLFSSL_SESSION);
        Pointer copy = LibWolfSsl.wolfSSL_SESSION_dup(own);
        free(own);
        if (copy != null) {
            NativeObjects.COUNTS.created(NativeObjects.Type.WOLFSSL_SESSION);
        }
        return copy;
    }

    /** Frees every kept session; later ones are freed at once. */
    @Override
    public void run() {
        synchronized (this) {
            closed = true;
            for (Entry e : byPeer.values()) {
                free(e.session());
            }
            byPeer.clear();
        }
    }

    private static void free(Pointer session) {
        if (session != null) {
            LibWolfSsl.wolfSSL_SESSION_free(session);
            NativeObjects.COUNTS.freed(NativeObjects.Type.WOLFSSL_SESSION);
        }
    }
}
