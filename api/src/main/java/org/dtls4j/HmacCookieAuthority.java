package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cookie = 4-byte timestamp (seconds) || first 28 bytes of
 * HMAC-SHA256(secret[generation], timestamp || address length || address || port || hello parameters).
 *
 * <p>The generation is the timestamp divided by the secret lifetime, so a cookie names its
 * own secret; only the current and the previous generation's secrets are kept. A secret is
 * random, or, with {@link SharedKeys}, derived from the shared secret so that every node
 * makes the same one (and any node verifies a cookie another made).
 */
final class HmacCookieAuthority implements CookieAuthority {

    static final int COOKIE_LENGTH = 32;
    /** The {@link SharedKeys#derive} label of cookie secrets. */
    static final String SHARED_LABEL = "dtls4j cookie";
    private static final int MAC_LENGTH = COOKIE_LENGTH - 4;
    private static final long FUTURE_SKEW_SECONDS = 2;

    private final long maxAgeSeconds;
    private final long lifetimeSeconds;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Where secrets come from when shared; null: random per authority. */
    private final SharedKeys shared;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(HmacCookieAuthority::newMac);

    /** secrets[generation & 1]; guarded by this. */
    private final byte[][] secrets = new byte[2][];
    private final long[] generations = {Long.MIN_VALUE, Long.MIN_VALUE};

    HmacCookieAuthority(Duration maxAge, Duration secretLifetime, Clock clock) {
        this(maxAge, secretLifetime, clock, null);
    }

    /** Secrets derived from {@code shared}, rotated with it and on its clock. */
    HmacCookieAuthority(Duration maxAge, SharedKeys shared) {
        this(maxAge, shared.rotationPeriod(), shared.clock(), shared);
    }

    private HmacCookieAuthority(Duration maxAge, Duration secretLifetime, Clock clock, SharedKeys shared) {
        this.shared = shared;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxAge.isNegative() || maxAge.isZero() || secretLifetime.isNegative() || secretLifetime.isZero()) {
            throw new DtlsConfigurationException("cookie maxAge and secretLifetime must be positive");
        }
        if (maxAge.compareTo(secretLifetime) > 0) {
            throw new DtlsConfigurationException("cookie maxAge (" + maxAge + ") must not exceed secretLifetime ("
                    + secretLifetime + "): only the previous secret is kept");
        }
        this.maxAgeSeconds = Math.max(1, maxAge.toSeconds());
        this.lifetimeSeconds = Math.max(1, secretLifetime.toSeconds());
    }

    @Override
    public byte[] generate(InetSocketAddress client, ByteBuffer helloParameters) {
        long now = clock.instant().getEpochSecond();
        byte[] cookie = new byte[COOKIE_LENGTH];
        putInt(cookie, (int) now);
        mac(secretFor(now / lifetimeSeconds, true), cookie, client, helloParameters, cookie, 4);
        return cookie;
    }

    @Override
    public boolean verify(InetSocketAddress client, ByteBuffer helloParameters, byte[] cookie) {
        if (cookie.length != COOKIE_LENGTH) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        long stamp = getUnsignedInt(cookie);
        long nowTruncated = now & 0xffffffffL;
        long age = nowTruncated - stamp;
        if (age < -FUTURE_SKEW_SECONDS || age > maxAgeSeconds) {
            return false;
        }
        long generation = (now - age) / lifetimeSeconds;
        byte[] secret = secretFor(generation, false);
        if (secret == null) {
            return false;
        }
        byte[] expected = new byte[COOKIE_LENGTH];
        System.arraycopy(cookie, 0, expected, 0, 4);
        mac(secret, cookie, client, helloParameters, expected, 4);
        return MessageDigest.isEqual(expected, cookie);
    }

    /** The secret of a generation; made on first use when {@code create}, else null if unknown. */
    private synchronized byte[] secretFor(long generation, boolean create) {
        int slot = (int) (generation & 1);
        if (generations[slot] == generation) {
            return secrets[slot];
        }
        byte[] secret;
        if (shared != null) {
            secret = shared.derive(SHARED_LABEL, generation); // another node may have made the cookie
        } else if (!create) {
            return null; // rotated away, or never made: either way not one of ours
        } else {
            secret = new byte[32];
            random.nextBytes(secret);
        }
        secrets[slot] = secret;
        generations[slot] = generation;
        return secret;
    }

    private void mac(byte[] secret, byte[] stamp, InetSocketAddress client, ByteBuffer params,
                     byte[] out, int offset) {
        Mac mac = macs.get();
        try {
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(stamp, 0, 4);
            // An unresolved address (tests, proxies) is bound by its host string instead.
            byte[] address = client.isUnresolved()
                    ? client.getHostString().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : client.getAddress().getAddress();
            // The length keeps an IPv6 address from absorbing an IPv4 client's port and parameters.
            mac.update((byte) address.length);
            mac.update(address);
            mac.update((byte) (client.getPort() >> 8));
            mac.update((byte) client.getPort());
            mac.update(params.duplicate());
            byte[] full = mac.doFinal();
            System.arraycopy(full, 0, out, offset, MAC_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unusable", e);
        }
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    private static void putInt(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }

    private static long getUnsignedInt(byte[] b) {
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
