package org.dtls4j;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.dtls4j.spi.BackendCookies;

/**
 * The listener's memory of its recent cookie exchanges made with a backend's own cookies
 * ({@link BackendCookies}): under each backend cookie it sent, its own cookie for the same
 * client and ClientHello, which decides whether that backend cookie is accepted when it
 * comes back.
 *
 * <p>Bounded by construction: a fixed number of slots, one chosen for each backend cookie
 * by a hash under a random seed. A new exchange overwrites whatever shared its slot, so a
 * flood of ClientHellos costs no memory beyond the slots and at worst sends a real client
 * through the exchange once more. Nothing of a provider exists for a client until the
 * cookie it returns verifies.
 *
 * <p>Thread-safe.
 */
final class CookieTranslations {

    /** Enough for every exchange of a few seconds at tens of thousands of handshakes a second. */
    static final int DEFAULT_SLOTS = 1 << 14;

    private record Entry(byte[] backend, byte[] own) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;
    private final int seed = new SecureRandom().nextInt();

    /** @param slots a power of two */
    CookieTranslations(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** Keeps {@code own} as the listener's cookie for the exchange that sent {@code backend}. */
    void remember(byte[] backend, byte[] own) {
        slots.set(slot(backend), new Entry(backend.clone(), own.clone()));
    }

    /**
     * The listener's own cookie kept for {@code backend}, or null if this listener did not
     * send that cookie lately (or a newer exchange took its slot).
     */
    byte[] ownCookieFor(byte[] backend) {
        Entry e = slots.get(slot(backend));
        return e != null && Arrays.equals(e.backend, backend) ? e.own.clone() : null;
    }

    private int slot(byte[] cookie) {
        int h = Arrays.hashCode(cookie) ^ seed;
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & mask;
    }
}
