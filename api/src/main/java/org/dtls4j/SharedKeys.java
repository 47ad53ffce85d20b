package org.dtls4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Key material that several server nodes share so that any of them can serve any client: the
 * cookie secret ({@link CookieAuthority#hmacSha256(SharedKeys)}) and the session-ticket keys
 * ({@link DtlsConfig.Builder#sessionTicketKeys(SharedKeys)}), all derived from one secret and
 * rotated on a shared clock, so nodes with the same secret and clock agree without talking.
 *
 * <p>Time is cut into generations of {@link #rotationPeriod()}: generation
 * {@code floor(epochSeconds / period)}. The secret of a generation for one use is
 * HMAC-SHA256(secret, label || generation as 8 big-endian bytes) ({@link #derive}); each use
 * has its own label. A cookie or ticket made in one generation is still accepted in the next,
 * not later.
 *
 * <p>The key file ({@link #read}, {@link #writeNew}) is UTF-8 text: lines that start with
 * {@code #} and blank lines are ignored, and the one remaining line is the secret in base64,
 * at least {@value #MIN_SECRET_BYTES} bytes once decoded. Keep it readable by the server's
 * user only.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SharedKeys {

    /** The fewest secret bytes accepted: the HMAC-SHA256 key size. */
    public static final int MIN_SECRET_BYTES = 32;
    /** The rotation period unless {@link #withRotation} sets another: one hour. */
    public static final Duration DEFAULT_ROTATION = Duration.ofHours(1);

    private final byte[] secret;
    private final Duration rotationPeriod;
    private final long periodSeconds;
    private final Clock clock;

    private SharedKeys(byte[] secret, Duration rotationPeriod, Clock clock) {
        this.secret = secret;
        this.rotationPeriod = rotationPeriod;
        this.periodSeconds = rotationPeriod.toSeconds();
        this.clock = clock;
    }

    /**
     * Keys from {@code secret}, rotated every {@link #DEFAULT_ROTATION} on the system clock.
     *
     * @param secret at least {@value #MIN_SECRET_BYTES} random bytes; copied
     * @return the keys
     * @throws DtlsConfigurationException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public static SharedKeys of(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new DtlsConfigurationException("a shared secret of " + secret.length + " bytes is too short; give at least "
                    + MIN_SECRET_BYTES + " random bytes (SharedKeys.writeNew or 'dtls4j keys --out FILE' makes a key file)");
        }
        return new SharedKeys(secret.clone(), DEFAULT_ROTATION, Clock.systemUTC());
    }

    /**
     * Reads keys from a key file (format in the class comment), rotated every
     * {@link #DEFAULT_ROTATION} on the system clock.
     *
     * @param file the key file
     * @return the keys
     * @throws DtlsConfigurationException if the file cannot be read or holds no valid secret,
     *     naming the file and the fix
     */
    public static SharedKeys read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DtlsConfigurationException("cannot read the shared key file " + file + ": " + e
                    + "; check the path and its permissions, or make one with 'dtls4j keys --out " + file + "'", e);
        }
        List<String> content = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (content.size() != 1) {
            throw new DtlsConfigurationException("the shared key file " + file + " must hold exactly one base64 line"
                    + " (besides # comments), found " + content.size() + "; make one with 'dtls4j keys --out FILE'");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(content.get(0));
        } catch (IllegalArgumentException e) {
            throw new DtlsConfigurationException("the shared key file " + file + " is not base64 (" + e.getMessage()
                    + "); make one with 'dtls4j keys --out FILE'", e);
        }
        try {
            return of(secret);
        } catch (DtlsConfigurationException e) {
            throw new DtlsConfigurationException("the shared key file " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Writes a new key file with {@value #MIN_SECRET_BYTES} fresh random bytes, readable and
     * writable by its owner only (mode 0600 where the file system has POSIX permissions).
     *
     * @param file where to write; must not exist yet
     * @throws DtlsConfigurationException if the file exists or cannot be written, naming the fix
     */
    public static void writeNew(Path file) {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        String text = "# dtls4j shared keys: cookie secret and session-ticket keys for nodes of one service\n"
                + Base64.getEncoder().encodeToString(secret) + "\n";
        Arrays.fill(secret, (byte) 0);
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // no POSIX permissions here: the directory's own protection applies
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new DtlsConfigurationException("the key file " + file + " exists already; delete it first or choose"
                    + " another path (every node needs the same file, so copy it rather than make a new one)", e);
        } catch (IOException e) {
            throw new DtlsConfigurationException("cannot write the key file " + file + ": " + e
                    + "; choose a writable path", e);
        }
    }

    /**
     * {@return these keys rotated every {@code period} instead}
     *
     * @param period how long a generation lasts: whole seconds, at least one; every node must use the same
     * @throws DtlsConfigurationException if the period is shorter than a second or not whole seconds
     */
    public SharedKeys withRotation(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.toSeconds() < 1 || period.toNanos() % 1_000_000_000L != 0) {
            throw new DtlsConfigurationException("rotation period " + period
                    + " must be a whole number of seconds, at least one; every node must use the same");
        }
        return new SharedKeys(secret, period, clock);
    }

    /**
     * {@return these keys on another clock (for tests; nodes use the system clock)}
     *
     * @param clock the time source of the generations
     */
    public SharedKeys withClock(Clock clock) {
        return new SharedKeys(secret, rotationPeriod, Objects.requireNonNull(clock, "clock"));
    }

    /** {@return how long a generation lasts} */
    public Duration rotationPeriod() {
        return rotationPeriod;
    }

    /** {@return the clock the generations follow} */
    public Clock clock() {
        return clock;
    }

    /** {@return the generation now: {@code floor(epochSeconds / rotationPeriod)}} */
    public long generation() {
        return Math.floorDiv(clock.instant().getEpochSecond(), periodSeconds);
    }

    /**
     * {@return the 32-byte secret of one use in one generation: HMAC-SHA256(secret, label ||
     * generation as 8 big-endian bytes)} Every node with the same secret derives the same bytes.
     *
     * @param label what the secret is for, in ASCII; each use has its own
     * @param generation the generation, as {@link #generation()} numbers them
     */
    public byte[] derive(String label, long generation) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            for (int shift = 56; shift >= 0; shift -= 8) {
                mac.update((byte) (generation >>> shift));
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no usable HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "SharedKeys[rotation " + rotationPeriod + "]"; // never the secret
    }
}
