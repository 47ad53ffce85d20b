package org.dtls4j.spi;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.dtls4j.SharedKeys;

/**
 * The session-ticket keys of {@link org.dtls4j.DtlsConfig#sessionTicketKeys()}, one set per
 * generation of the {@link SharedKeys}, what every provider with
 * {@link org.dtls4j.Capability#SHARED_SESSION_TICKETS} protects its tickets with, so tickets
 * one backend's node made decrypt at every node. A ticket names its generation by
 * {@link Generation#name()}; the current and the previous generation decrypt, and a ticket of
 * the previous one should be renewed. Thread-safe: the last two generations are cached.
 *
 * @since 0.1
 */
public final class TicketKeys {

    /** The length of a ticket key name, as OpenSSL and wolfSSL both have it. */
    public static final int NAME_LENGTH = 16;

    private final SharedKeys keys;
    /** The newest two generations derived, newest first; replaced whole. */
    private volatile Generation[] cached = new Generation[0];

    /**
     * Ticket keys derived from {@code keys}.
     *
     * @param keys the shared keys
     */
    public TicketKeys(SharedKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The keys of one generation: a 16-byte name that a ticket carries in the clear, a 32-byte
     * AES-256 key and a 32-byte HMAC-SHA256 key. The arrays are the caller's to read, not to change.
     *
     * @param number the generation's number ({@link SharedKeys#generation()})
     * @param name the key name a ticket of this generation carries
     * @param aesKey the AES-256 key of the ticket's encryption
     * @param hmacKey the HMAC-SHA256 key of the ticket's integrity
     */
    public record Generation(long number, byte[] name, byte[] aesKey, byte[] hmacKey) {
    }

    /** {@return the generation to make new tickets with: the current one} */
    public Generation current() {
        return generation(keys.generation());
    }

    /**
     * {@return the generation a ticket's key name names, when it is the current or the previous
     * one; empty for any other (too old, or made with other keys): the ticket is refused and the
     * handshake is a full one}
     *
     * @param name the key name the ticket carries
     */
    public Optional<Generation> forName(byte[] name) {
        long now = keys.generation();
        for (long g = now; g >= now - 1; g--) {
            Generation candidate = generation(g);
            if (MessageDigest.isEqual(candidate.name(), name)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * {@return whether a ticket of {@code generation} should be replaced by a fresh one: it decrypts,
     * but will not in the next generation}
     *
     * @param generation the generation {@link #forName} found
     */
    public boolean shouldRenew(Generation generation) {
        return generation.number() != keys.generation();
    }

    private Generation generation(long number) {
        Generation[] c = cached;
        for (Generation g : c) {
            if (g.number() == number) {
                return g;
            }
        }
        Generation made = new Generation(number,
                Arrays.copyOf(keys.derive("dtls4j ticket name", number), NAME_LENGTH),
                keys.derive("dtls4j ticket aes", number),
                keys.derive("dtls4j ticket hmac", number));
        Generation[] next = c.length == 0 ? new Generation[] {made}
                : c[0].number() > number ? new Generation[] {c[0], made} : new Generation[] {made, c[0]};
        cached = next;
        return made;
    }
}
