package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;

/**
 * Makes and checks the stateless cookies of the HelloVerifyRequest exchange (RFC 6347
 * section 4.2.1): the seed's {@code SSL_CTX_set_cookie_generate_cb} and
 * {@code SSL_CTX_set_cookie_verify_cb} as one object.
 *
 * <p>A cookie binds the client's address and port and the ClientHello's parameters, so a
 * cookie replayed from another address, or with a changed random or cipher list, fails.
 *
 * <p>Implementations must be thread-safe and must not keep per-client state: that is the
 * point of the exchange.
 *
 * @since 0.1
 */
public interface CookieAuthority {

    /**
     * A fresh cookie for this client, at most 32 bytes (so that DTLS 1.0 peers accept it).
     *
     * @param client the address the ClientHello came from
     * @param helloParameters the ClientHello fields the cookie binds (everything in its body
     *        but the cookie); read from position to limit and not consumed; may be empty
     *        where a backend cannot provide them
     * @return the cookie, 1 to 32 bytes
     */
    byte[] generate(InetSocketAddress client, ByteBuffer helloParameters);

    /**
     * {@return whether {@code cookie} is one this authority made for this client and these
     * parameters, and is not too old}
     *
     * @param client the address the ClientHello came from
     * @param helloParameters the ClientHello fields the cookie binds, as for {@link #generate}; not
     *     consumed
     * @param cookie the cookie the ClientHello returned
     */
    boolean verify(InetSocketAddress client, ByteBuffer helloParameters, byte[] cookie);

    /**
     * {@return the default authority: HMAC-SHA256 over a timestamp, the client's address and port,
     * and the ClientHello parameters, under a random secret that rotates every 5 minutes;
     * a cookie is accepted for 60 seconds}
     */
    static CookieAuthority hmacSha256() {
        return new HmacCookieAuthority(Duration.ofSeconds(60), Duration.ofMinutes(5), Clock.systemUTC());
    }

    /**
     * An HMAC-SHA256 authority with explicit limits.
     *
     * @param maxAge how long a cookie stays valid; at most {@code secretLifetime}
     * @param secretLifetime how often the secret rotates (the previous secret still verifies)
     * @param clock the time source, for tests
     * @return the authority; thread-safe, as every authority must be
     * @throws DtlsConfigurationException if a duration is not positive or
     *         {@code maxAge > secretLifetime}
     */
    static CookieAuthority hmacSha256(Duration maxAge, Duration secretLifetime, Clock clock) {
        return new HmacCookieAuthority(maxAge, secretLifetime, clock);
    }

    /**
     * An HMAC-SHA256 authority whose secrets derive from keys shared by several nodes, so a
     * cookie one node makes verifies at every node with the same keys; a cookie is accepted for
     * 60 seconds (or the rotation period, if shorter).
     *
     * @param keys the shared keys; their rotation period and clock rotate the secret (a cookie
     *     made in the previous generation still verifies)
     * @return the authority; thread-safe
     */
    static CookieAuthority hmacSha256(SharedKeys keys) {
        Duration maxAge = Duration.ofSeconds(60);
        return hmacSha256(maxAge.compareTo(keys.rotationPeriod()) < 0 ? maxAge : keys.rotationPeriod(), keys);
    }

    /**
     * An HMAC-SHA256 authority over shared keys ({@link #hmacSha256(SharedKeys)}) with an explicit
     * maximum age.
     *
     * @param maxAge how long a cookie stays valid; at most the keys' rotation period
     * @param keys the shared keys
     * @return the authority; thread-safe
     * @throws DtlsConfigurationException if {@code maxAge} is not positive or exceeds the rotation period
     */
    static CookieAuthority hmacSha256(Duration maxAge, SharedKeys keys) {
        return new HmacCookieAuthority(maxAge, java.util.Objects.requireNonNull(keys, "keys"));
    }
}
