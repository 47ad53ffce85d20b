package org.dtls4j.wolfssl;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counts of the native objects this provider owns, one counter per type: every
 * {@code *_new} is matched by exactly one free, and tests check the counts return to zero.
 *
 * <p>Thread-safe.
 */
final class NativeObjects {

    enum Type { WOLFSSL_CTX, WOLFSSL }

    private static final Map<Type, AtomicLong> LIVE = new EnumMap<>(Type.class);

    static {
        for (Type t : Type.values()) {
            LIVE.put(t, new AtomicLong());
        }
    }

    private NativeObjects() {
    }

    static void created(Type type) {
        LIVE.get(type).incrementAndGet();
    }

    static void freed(Type type) {
        LIVE.get(type).decrementAndGet();
    }

    /** How many objects of this type are alive now. */
    static long live(Type type) {
        return LIVE.get(type).get();
    }

    /** All counts, for messages. */
    static Map<Type, Long> snapshot() {
        Map<Type, Long> m = new EnumMap<>(Type.class);
        LIVE.forEach((t, n) -> m.put(t, n.get()));
        return m;
    }
}
