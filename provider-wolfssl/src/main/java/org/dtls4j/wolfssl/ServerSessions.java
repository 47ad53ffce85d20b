package org.dtls4j.wolfssl;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DTLS 1.2 session IDs a server context has issued, so that its sessions resume only what
 * it made. A DTLS 1.2 client without session tickets (OpenSSL's and BouncyCastle's, here)
 * resumes by session ID, which a wolfSSL server finds in its session cache; that cache is one
 * for the whole process, and this build matches a cached session to nothing but the protocol
 * version ({@code CheckSessionMatch} in ssl_sess.c: the session ID context needs
 * {@code OPENSSL_EXTRA}), so a client could resume, on a context that requires client
 * certificates, a session it made with one that does not. A server session therefore records
 * the ID of each full handshake here (from the ServerHello it sent, {@link DatagramIo}: this
 * build exports no {@code wolfSSL_get_sessionID}) and fails a resumed one whose ID this context
 * did not issue. At most {@value #MAX_IDS} IDs, the oldest forgotten first: wolfSSL's own cache
 * holds far fewer (33 by default).
 *
 * <p>Thread-safe: guarded by itself.
 */
final class ServerSessions {

    static final int MAX_IDS = 4096;

    private final Map<ByteBuffer, Boolean> issued = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > MAX_IDS;
        }
    };

    synchronized void issued(byte[] sessionId) {
        issued.put(ByteBuffer.wrap(sessionId.clone()), Boolean.TRUE);
    }

    synchronized boolean issuedHere(byte[] sessionId) {
        return issued.containsKey(ByteBuffer.wrap(sessionId));
    }
}
