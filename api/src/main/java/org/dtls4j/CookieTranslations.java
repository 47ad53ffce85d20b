package org.dtls4j;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.dtls4j.spi.BackendCookies;

/**
 * The listener's memory of its recent cookie exchanges made with a backend's own cookies
 * ({@link BackendCookies}): under each backend cookie it sent, its own cookie for the same
 * client and ClientHello, which decides whether that backend cookie is accepted when it
 * comes back.
 *
 * <p>Bounded by construction: a fixed number of entries in buckets of {@link #WAYS}, one
 * bucket chosen for each backend cookie by a hash under a random seed. A new exchange takes
 * a free entry of its bucket or the oldest one, so a flood of ClientHellos costs no memory
 * beyond the table and at worst sends a real client through the exchange once more. (A
 * table with one entry per bucket is not enough: two clients whose cookies share a bucket
 * would push each other out for as long as they both retried.) Nothing of a provider exists
 * for a client until the cookie it returns verifies.
 *
 * <p>Thread-safe.
 */
final class CookieTranslations {

    /** Enough for every exchange of a few seconds at tens of thousands of handshakes a second. */
    static final int DEFAULT_ENTRIES = 1 << 14;
    /** Entries per bucket: how many exchanges in flight may share a bucket without one being lost. */
    static final int WAYS = 8;

    private record Entry(byte[] backend, byte[] own, long age) {
    }

    private final AtomicReferenceArray<Entry> entries;
    private final int bucketMask;
    private final int seed;
    private final AtomicLong clock = new AtomicLong();

    /** @param entries a power of two, at least {@link #WAYS} */
    CookieTranslations(int entries) {
        this(entries, new SecureRandom().nextInt());
    }

    /** With a fixed hash seed, for tests. */
    CookieTranslations(int entries, int seed) {
        if (entries < WAYS || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two of at least " + WAYS + ": " + entries);
        }
        this.entries = new AtomicReferenceArray<>(entries);
        this.bucketMask = entries / WAYS - 1;
        this.seed = seed;
    }

    /** Keeps {@code own} as the listener's cookie for the exchange that sent {@code backend}. */
    void remember(byte[] backend, byte[] own) {
        int first = bucket(backend) * WAYS;
        int victim = first;
        long oldest = Long.MAX_VALUE;
        for (int i = first; i < first + WAYS; i++) {
            Entry e = entries.get(i);
            if (e == null || Arrays.equals(e.backend, backend)) {
                victim = i;
                break;
            }
            if (e.age < oldest) {
                oldest = e.age;
                victim = i;
            }
        }
        entries.set(victim, new Entry(backend.clone(), own.clone(), clock.incrementAndGet()));
    }

    /**
     * The listener's own cookie kept for {@code backend}, or null if this listener did not
     * send that cookie lately (or newer exchanges took every entry of its bucket).
     */
    byte[] ownCookieFor(byte[] backend) {
        int first = bucket(backend) * WAYS;
        for (int i = first; i < first + WAYS; i++) {
            Entry e = entries.get(i);
            if (e != null && Arrays.equals(e.backend, backend)) {
                return e.own.clone();
            }
        }
        return null;
    }

    private int bucket(byte[] cookie) {
        int h = Arrays.hashCode(cookie) ^ seed;
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & bucketMask;
    }
}
