package org.dtls4j.openssl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dtls4j.spi.Availability;

/**
 * Finds libssl 3 and binds {@link LibSsl} to it, once. The outcome for each library name
 * is captured on the first attempt and reported ever after (netty's {@code OpenSsl},
 * conscrypt's {@code NativeCrypto}): a missing library makes the provider unavailable
 * with the reason, and breaks nothing else.
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
        StringBuilder why = new StringBuilder();
        Throwable last = null;
        for (String name : candidates) {
            try {
                NativeLibrary library = NativeLibrary.getInstance(name);
                Function version = library.getFunction("OpenSSL_version_num");
                long v = version.invokeLong(new Object[0]);
                if (v < MIN_VERSION) {
                    why.append(name).append(": OpenSSL ").append(Long.toHexString(v))
                            .append(" is older than 3.0; ");
                    continue;
                }
                library.getFunction("DTLSv1_listen"); // a libssl, not only a libcrypto
                library.getFunction("BIO_new");       // and its libcrypto resolves through it
                if (boundTo == null) {
                    LibSsl.bind(library);
                    boundTo = name;
                    // start the one cleaner thread now, not inside the first session's lifetime
                    java.util.Objects.requireNonNull(OpenSslContext.CLEANER);
                } else if (!boundTo.equals(name)) {
                    return Availability.unavailable("libssl is already bound to '" + boundTo
                            + "' in this JVM; '" + name + "' cannot be used as well");
                }
                return Availability.available();
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                last = e;
                why.append(name).append(": ").append(e.getMessage()).append("; ");
            }
        }
        String reason = "cannot load libssl 3 (" + why.toString().replaceAll("; $", "")
                + "); install OpenSSL 3 or set -D" + PROPERTY + "=/path/to/libssl.so.3";
        return last == null ? Availability.unavailable(reason) : Availability.unavailable(reason, last);
    }
}
