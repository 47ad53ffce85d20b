package org.dtls4j.spi;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counts of the objects a provider owns, one counter per kind: for a native backend,
 * every {@code *_new} is matched by exactly one free, and its leak tests check that the
 * counts return to zero after thousands of sessions.
 *
 * <p>Thread-safe.
 *
 * @param <K> the kinds of object counted
 * @since 0.1
 */
public final class LiveCounts<K extends Enum<K>> {

    private final Class<K> kinds;
    private final Map<K, AtomicLong> live;

    /**
     * Counts for every constant of {@code kinds}, all zero.
     *
     * @param kinds the enum whose constants name the kinds of object counted
     */
    public LiveCounts(Class<K> kinds) {
        this.kinds = kinds;
        this.live = new EnumMap<>(kinds);
        for (K k : kinds.getEnumConstants()) {
            live.put(k, new AtomicLong());
        }
    }

    /**
     * One object of this kind was created.
     *
     * @param kind the kind of the object
     */
    public void created(K kind) {
        live.get(kind).incrementAndGet();
    }

    /**
     * One object of this kind was freed.
     *
     * @param kind the kind of the object
     */
    public void freed(K kind) {
        live.get(kind).decrementAndGet();
    }

    /**
     * {@return how many objects of this kind are alive now}
     *
     * @param kind the kind of object
     */
    public long live(K kind) {
        return live.get(kind).get();
    }

    /**
     * Every kind's count now, for messages.
     *
     * @return a copy of every kind's count
     */
    public Map<K, Long> snapshot() {
        Map<K, Long> m = new EnumMap<>(kinds);
        live.forEach((k, n) -> m.put(k, n.get()));
        return m;
    }

    /**
     * Every kind's count now, by the kind's name: what a provider returns from
     * {@link DtlsProvider#liveObjects()}.
     *
     * @return a copy of every kind's count, in the enum's order
     */
    public Map<String, Long> byName() {
        Map<String, Long> m = new LinkedHashMap<>();
        live.forEach((k, n) -> m.put(k.name(), n.get()));
        return m;
    }
}
