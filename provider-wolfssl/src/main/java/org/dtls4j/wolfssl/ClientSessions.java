package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client context's resumption cache: for each server address, the last session made with
 * it (an owned {@code WOLFSSL_SESSION}, from {@code wolfSSL_get1_session}, with its ticket)
 * and the chain that server presented, which a resumed session reports again. At most
 * {@value #MAX_PEERS} servers, the oldest forgotten first.
 *
 * <p>A session made by resuming another is kept only up to {@value #MAX_CHAINED} resumptions in
 * a row, then forgotten so that the next handshake is full: a wolfSSL DTLS 1.3 server carries
 * a ticket's one-byte nonce over into the session resumed from it and numbers its next ticket
 * from there, and fails the handshake once the nonce would pass 255
 * ({@code SESSION_TICKET_NONCE_OVERFLOW}, tls13.c; the nonce is read back from the ticket in
 * internal.c). Its one owner is the context: each
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

    /** What a client offered to resume: the chain the server presented then, and how many resumptions led to it. */
    record Offered(List<X509Certificate> chain, int chained) {
        static final Offered NONE = new Offered(List.of(), 0);
    }

    private final Map<InetSocketAddress, Entry> byPeer = new LinkedHashMap<>();
    private boolean closed;

    /**
     * Gives {@code ssl} the session cached for {@code peer} (wolfSSL copies it).
     *
     * @return what was offered, {@link Offered#NONE} if nothing
     */
    synchronized Offered resumeInto(Pointer ssl, InetSocketAddress peer) {
        Entry e = closed ? null : byPeer.get(peer);
        if (e == null || LibWolfSsl.wolfSSL_set_session(ssl, e.session()) != LibWolfSsl.WOLFSSL_SUCCESS) {
            return Offered.NONE;
        }
        return new Offered(e.chain(), e.chained());
    }

    /**
     * Keeps the session of {@code ssl} for {@code peer}, replacing what was kept; {@code offered}
     * is what the session offered, if it {@code resumed}.
     */
    void remember(InetSocketAddress peer, Pointer ssl, List<X509Certificate> chain, boolean resumed, Offered offered) {
        int chained = resumed ? offered.chained() + 1 : 0;
        Pointer session = chained > MAX_CHAINED ? null : LibWolfSsl.wolfSSL_get1_session(ssl);
        if (session != null) {
            NativeObjects.COUNTS.created(NativeObjects.Type.WOLFSSL_SESSION);
        }
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
