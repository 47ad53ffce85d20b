package org.dtls4j.wolfssl;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The DTLS 1.2 session IDs a server context has issued, so that its sessions resume only what
 * it made. A DTLS 1.2 client without session tickets (OpenSSL's and BouncyCastle's, here)
 * resumes by session ID, which a wolfSSL server finds in its session cache; that cache is one
 * for the whole process, and this build matches a cached session to nothing but the protocol
 * version ({@code CheckSessionMatch} in ssl_sess.c: the session ID context needs
 * {@code OPENSSL_EXTRA}), so a client could resume, on a context that requires client
 * certificates, a session it made with one that does not. A server session therefore records
 * the ID of each full handshake here (from the ServerHello it sent, {@link DatagramIo}: this
 * build exports no {@code wolfSSL_get_sessionID}). Before wolfSSL reads a ClientHello that
 * offers an ID this context did not issue, the session drops that ID from wolfSSL's cache
 * ({@link #forgetUnlessIssued}), so the handshake is a full one; and a resumed session whose ID
 * this context did not issue still fails ({@link SessionExtensions#admit}), should a session of
 * that ID come back into the cache in between. At most {@value #MAX_IDS} IDs, the oldest
 * forgotten first: wolfSSL's own cache holds far fewer (33 by default).
 *
 * <p>A context with shared session tickets ({@link SharedTickets}) also admits a session that
 * resumed from a ticket its ticket keys decrypted in that very handshake, whichever node made
 * it: the shared keys are the trust there. The property above holds for those too, by other
 * means: a ticket's MAC covers the requirements of the context that made it, so a ticket of a
 * context that asked less of its client does not decrypt here; and the session-ID path is
 * guarded as before.
 *
 * <p>Thread-safe: guarded by itself.
 */
final class ServerSessions {

    static final int MAX_IDS = 4096;

    /** The context's shared session tickets, if it has some: what else its sessions may resume. */
    private final Optional<SharedTickets> tickets;

    private final Map<ByteBuffer, Boolean> issued = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > MAX_IDS;
        }
    };

    ServerSessions(Optional<SharedTickets> tickets) {
        this.tickets = tickets;
    }

    /** The shared session tickets of the context, if configured ({@link SharedTickets}). */
    Optional<SharedTickets> tickets() {
        return tickets;
    }

    synchronized void issued(byte[] sessionId) {
        issued.put(ByteBuffer.wrap(sessionId.clone()), Boolean.TRUE);
    }

    synchronized boolean issuedHere(byte[] sessionId) {
        return issued.containsKey(ByteBuffer.wrap(sessionId));
    }

    /** Drops a session of another context that a ClientHello offers from wolfSSL's cache. */
    void forgetUnlessIssued(byte[] sessionId) {
        if (issuedHere(sessionId)) {
            return;
        }
        com.sun.jna.ptr.PointerByReference cached = new com.sun.jna.ptr.PointerByReference();
        int[] row = new int[1];
        if (LibWolfSsl.TlsSessionCacheGetAndWrLock(sessionId, cached, row, LibWolfSsl.WOLFSSL_SERVER_END) == 0
                && cached.getValue() != null) {
            try {
                LibWolfSsl.EvictSessionFromCache(cached.getValue());
            } finally {
                LibWolfSsl.TlsSessionCacheUnlockRow(row[0]);
            }
        }
    }

    /** The 32-byte session_id of a ClientHello that starts {@code datagram} (whole or its first fragment); null if none. */
    static byte[] offeredSessionId(java.nio.ByteBuffer datagram) {
        int at = datagram.position();
        int sid = at + org.dtls4j.spi.DtlsRecords.HEADER_SIZE + org.dtls4j.spi.DtlsRecords.HANDSHAKE_HEADER_SIZE + 34;
        if (sid + 33 > datagram.limit() || org.dtls4j.spi.DtlsRecords.u8(datagram, at) != org.dtls4j.spi.DtlsRecords.HANDSHAKE
                || org.dtls4j.spi.DtlsRecords.u8(datagram, at + 13) != 1 || org.dtls4j.spi.DtlsRecords.u16(datagram, at + 19) != 0
                || org.dtls4j.spi.DtlsRecords.u8(datagram, at + 21) != 0 || org.dtls4j.spi.DtlsRecords.u8(datagram, sid) != 32) {
            return null;
        }
        byte[] id = new byte[32];
        datagram.get(sid + 1, id);
        return id;
    }
}
