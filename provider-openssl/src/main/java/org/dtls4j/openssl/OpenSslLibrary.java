package org.dtls4j.openssl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dtls4j.spi.Availability;

/**
 * Finds libssl 3 and binds {@link LibSsl} to it, once. The outcome for each library name
 * is captured on the first attempt and reported ever after (netty's {@code OpenSsl},
 * conscrypt's {@code NativeCrypto}): a missing library makes the provider unavailable
 * with the reason, and breaks nothing else. Each name is tried with
 * {@link Availability#probe}.
 *
 * <p>Thread-safe.
 */
final class OpenSslLibrary {

    /** System property: the libssl to load, as a path or a library name. */
    static final String PROPERTY = "dtls4j.openssl.library";
    /** What is tried when the property is not set. */
    static final List<String> DEFAULT_NAMES = List.of("libssl.so.3", "ssl");
    private static final long MIN_VERSION = 0x3000_0000L;

    private static final Map<String, Availability> OUTCOMES = new ConcurrentHashMap<>();
    /** The library the natives are bound to, once one has loaded. */
    private static String boundTo;

    private OpenSslLibrary() {
    }

    /**
     * Whether the library named {@code spec} ("" for the defaults) can be used: loaded once,
     * then the captured outcome.
     */
    static Availability availability(String spec) {
        return OUTCOMES.computeIfAbsent(spec, OpenSslLibrary::load);
    }

    /** The library name to use: the system property, or "" for the defaults. */
    static String configuredSpec() {
        String p = System.getProperty(PROPERTY);
        return p == null ? "" : p.trim();
    }

    private static synchronized Availability load(String spec) {
        List<String> candidates = spec.isEmpty() ? DEFAULT_NAMES : List.of(spec);
        List<String> why = new ArrayList<>();
        Throwable last = null;
        for (String name : candidates) {
            NativeLibrary[] found = new NativeLibrary[1];
            Availability loaded = Availability.probe(() -> found[0] = libssl3(name), e -> name + ": " + e.getMessage());
            if (loaded.isAvailable()) {
                return bindOnce(name, found[0]);
            }
            why.add(loaded.reason().orElseThrow());
            last = loaded.cause().orElseThrow();
        }
        return Availability.unavailable("cannot load libssl 3 (" + String.join("; ", why)
                + "); install OpenSSL 3 or set -D" + PROPERTY + "=/path/to/libssl.so.3", last);
    }

    /** Loads {@code name}, or throws if it cannot be loaded or is not a libssl 3. */
    private static NativeLibrary libssl3(String name) {
        NativeLibrary library = NativeLibrary.getInstance(name);
        Function version = library.getFunction("OpenSSL_version_num");
        long v = version.invokeLong(new Object[0]);
        if (v < MIN_VERSION) {
            throw new IllegalStateException("OpenSSL " + Long.toHexString(v) + " is older than 3.0");
        }
        library.getFunction("DTLSv1_listen"); // a libssl, not only a libcrypto
        library.getFunction("BIO_new");       // and its libcrypto resolves through it
        return library;
    }

    /** Binds the natives to the first library that loads; JNA cannot bind them twice. */
    private static Availability bindOnce(String name, NativeLibrary library) {
        if (boundTo == null) {
            Availability bound = Availability.probe(() -> LibSsl.bind(library),
                    e -> "cannot bind the natives to libssl '" + name + "': " + e.getMessage());
            if (!bound.isAvailable()) {
                return bound;
            }
            boundTo = name;
            // start the one cleaner thread now, not inside the first session's lifetime
            java.util.Objects.requireNonNull(OpenSslContext.CLEANER);
        } else if (!boundTo.equals(name)) {
            return Availability.unavailable("libssl is already bound to '" + boundTo
                    + "' in this JVM; '" + name + "' cannot be used as well");
        }
        return Availability.available();
    }
}
