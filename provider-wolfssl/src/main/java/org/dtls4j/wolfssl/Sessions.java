package org.dtls4j.wolfssl;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live sessions by id, the context pointer wolfSSL hands back to every callback
 * ({@link Callbacks}): weak, so that an abandoned session can still be cleaned.
 *
 * <p>Thread-safe.
 */
final class Sessions {

    private static final AtomicLong IDS = new AtomicLong();
    private static final ConcurrentHashMap<Long, WeakReference<WolfSslSession>> BY_ID = new ConcurrentHashMap<>();

    private Sessions() {
    }

    /** A new id, never 0 (a null context pointer). */
    static long newId() {
        return IDS.incrementAndGet();
    }

    static void register(long id, WolfSslSession session) {
        BY_ID.put(id, new WeakReference<>(session));
    }

    /** When a session's native state is freed: the callbacks no longer find it. */
    static void forget(long id) {
        BY_ID.remove(id);
    }

    /** Sessions the callbacks can find now; for tests. */
    static int registered() {
        return BY_ID.size();
    }

    /** The session with this id, or null; for the callbacks. */
    static WolfSslSession forId(long id) {
        WeakReference<WolfSslSession> ref = BY_ID.get(id);
        return ref == null ? null : ref.get();
    }
}
