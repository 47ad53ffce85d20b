package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session IDs a context's handshakes have produced, to tell a resumed handshake from a
 * full one.
 *
 * <p>JDK 17 has no public signal for resumption. What a finished handshake does show is
 * its session's ID: a full handshake gets a fresh random one, a resumed handshake
 * (from the client's cache or, on a server, from a session ticket) keeps the ID of the
 * session it resumes. So a handshake resumed exactly when its session ID is one this
 * context saw before. The IDs are kept in insertion order up to a bound; a resumption of
 * a session older than the last {@value #CAPACITY} would be reported as a full handshake.
 *
 * <p>Thread-safe: a context's sessions complete on any thread.
 */
final class SessionIds {

    static final int CAPACITY = 20_480; // JSSE's own default session cache size

    private final Map<ByteBuffer, Boolean> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Records {@code id} and tells whether it was seen before. An empty ID (a session that
     * cannot be resumed by ID) is never recorded and never counts as resumed.
     */
    synchronized boolean resumed(byte[] id) {
        if (id == null || id.length == 0) {
            return false;
        }
        return seen.put(ByteBuffer.wrap(id.clone()), Boolean.TRUE) != null;
    }
}
