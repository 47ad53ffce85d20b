package org.dtls4j.wolfssl;

import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.dtls4j.spi.Availability;

/**
 * Finds {@code libwolfssl.so}, binds {@link LibWolfSsl} to it and probes its symbols, once
 * per JVM. The library is, in this order: the system property {@value #PROPERTY}, the
 * environment variable {@value #ENV}, the newest build of {@code scripts/wolfssl.sh} in its
 * cache ({@code $DTLS4J_CACHE} or {@code ~/.cache/dtls4j}, {@code wolfssl-*}{@code /build/libwolfssl.so}),
 * then {@code libwolfssl} from the system's library path. Without one the provider is
 * registered but unavailable, and the reason names the script.
 *
 * <p>Thread-safe.
 */
final class WolfSslLibrary {

    /** System property: the wolfSSL library to load, a path or a library name. */
    static final String PROPERTY = "dtls4j.wolfssl.library";
    /** Environment variable read when the property is not set. */
    static final String ENV = "DTLS4J_WOLFSSL_LIBRARY";
    /** What the script prints and the reason names. */
    static final String SCRIPT = "scripts/wolfssl.sh";

    /** The symbols the DTLS 1.2 sessions of this provider call: without any of them the provider is unavailable. */
    static final List<String> REQUIRED = List.of("wolfSSL_Init", "wolfDTLSv1_2_client_method",
            "wolfDTLSv1_2_server_method", "wolfSSL_SSLSetIORecv", "wolfSSL_SSLSetIOSend", "wolfSSL_SetIOReadCtx",
            "wolfSSL_SetIOWriteCtx", "wolfSSL_SetCertCbCtx", "wolfSSL_dtls_got_timeout", "wolfSSL_dtls_set_mtu",
            "wolfSSL_dtls_set_timeout_init", "wolfSSL_dtls_set_timeout_max", "wolfSSL_DTLS_SetCookieSecret",
            "wolfSSL_CTX_use_certificate_chain_buffer_format", "wolfSSL_CTX_use_PrivateKey_buffer",
            "wolfSSL_CTX_GetCertManager",
            "wolfSSL_CertManagerUnloadIntermediateCerts", "wolfSSL_get_alert_history", "wolfSSL_get_cipher_name_iana",
            "wolfSSL_GetMaxOutputSize");
    /** Symbols of later capabilities, probed now so that declaring one later is a lookup. */
    static final List<String> OPTIONAL = List.of("wolfDTLSv1_3_client_method", "wolfDTLSv1_3_server_method",
            "wolfDTLS_client_method", "wolfDTLS_server_method", "wolfSSL_CTX_SetMinVersion", "wolfSSL_version",
            "wolfSSL_send_hrr_cookie", "wolfSSL_dtls_set_peer", "wolfSSL_dtls_cid_use", "wolfSSL_dtls_cid_parse", "wolfSSL_CTX_set_psk_client_callback",
            "wolfSSL_CTX_set_psk_server_callback", "wolfSSL_CTX_set_tlsext_use_srtp", "wolfSSL_export_keying_material",
            "wolfSSL_UseALPN", "wolfSSL_UseSNI", "wolfSSL_get_session", "SendAlert");
    /** Symbols probed at load: {@link #OPTIONAL} and those of every capability ({@link WolfSslCapabilities}). */
    private static final List<String> PROBED = java.util.stream.Stream.concat(OPTIONAL.stream(),
            WolfSslCapabilities.symbols().stream()).distinct().toList();

    private static final Loaded LOADED = load(candidates(configuredSpec(), System.getenv(),
            System.getProperty("user.home", "")));

    /** The outcome of the one load: availability, the path tried, the symbols present. */
    record Loaded(Availability availability, String library, Set<String> symbols) {
    }

    private WolfSslLibrary() {
    }

    static Availability availability() {
        return LOADED.availability();
    }

    /** Whether the loaded library exports {@code symbol} (of {@link #REQUIRED}, {@link #OPTIONAL} or a capability's). */
    static boolean has(String symbol) {
        return LOADED.symbols().contains(symbol);
    }

    /** Whether the loaded library speaks DTLS 1.3 as this provider drives it. */
    static boolean hasDtls13() {
        return has("wolfDTLSv1_3_client_method") && has("wolfDTLSv1_3_server_method") && has("wolfDTLS_client_method")
                && has("wolfDTLS_server_method") && has("wolfSSL_CTX_SetMinVersion") && has("wolfSSL_version")
                && has("wolfSSL_send_hrr_cookie") && has("wolfSSL_dtls_set_peer");
    }

    /** Whether wolfSSL's internal {@code SendAlert} is exported (it is in the script's build). */
    static boolean hasSendAlert() {
        return has("SendAlert");
    }

    /** The library that was loaded (or tried last). */
    static String library() {
        return LOADED.library();
    }

    /** The library to load: the property, the environment, or "" for the search. */
    static String configuredSpec() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return p.trim();
        }
        String e = System.getenv(ENV);
        return e == null ? "" : e.trim();
    }

    /** Where to look when nothing names the library: the script's newest build, then the system's. */
    static List<String> candidates(String spec, Map<String, String> env, String home) {
        if (!spec.isEmpty()) {
            return List.of(spec);
        }
        List<String> out = new ArrayList<>();
        String cache = env.get("DTLS4J_CACHE");
        Path root = cache != null && !cache.isBlank() ? Paths.get(cache) : Paths.get(home, ".cache", "dtls4j");
        newestScriptBuild(root).ifPresent(out::add);
        out.add("wolfssl");
        out.add("libwolfssl.so");
        return out;
    }

    private static java.util.Optional<String> newestScriptBuild(Path root) {
        if (!Files.isDirectory(root)) {
            return java.util.Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("wolfssl-"))
                    .filter(d -> Files.exists(d.resolve(".complete")))
                    .map(d -> d.resolve("build").resolve("libwolfssl.so"))
                    .filter(Files::isReadable)
                    .max((a, b) -> modified(a).compareTo(modified(b)))
                    .map(Path::toString);
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Loads the first of {@code tried} that works and binds to it (once per JVM: call it only for the one load or with libraries that fail). */
    static Loaded load(List<String> tried) {
        StringBuilder why = new StringBuilder();
        Throwable last = null;
        for (String name : tried) {
            try {
                NativeLibrary library = NativeLibrary.getInstance(name);
                Set<String> present = new TreeSet<>();
                List<String> missing = new ArrayList<>();
                for (String s : REQUIRED) {
                    if (exports(library, s)) {
                        present.add(s);
                    } else {
                        missing.add(s);
                    }
                }
                if (!missing.isEmpty()) {
                    why.append(name).append(": lacks ").append(missing).append("; ");
                    continue;
                }
                for (String s : PROBED) {
                    if (exports(library, s)) {
                        present.add(s);
                    }
                }
                LibWolfSsl.bind(library);
                if (LibWolfSsl.wolfSSL_Init() != LibWolfSsl.WOLFSSL_SUCCESS) {
                    return new Loaded(Availability.unavailable("wolfSSL_Init failed in " + name), name, Set.of());
                }
                java.util.Objects.requireNonNull(WolfSslContext.CLEANER); // its thread starts now, not in a session
                return new Loaded(Availability.available(), name + " (wolfSSL " + LibWolfSsl.wolfSSL_lib_version() + ")",
                        Collections.unmodifiableSet(present));
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                last = e;
                why.append(name).append(": ").append(e.getMessage()).append("; ");
            }
        }
        String reason = "cannot load wolfSSL (" + why.toString().replaceAll("; $", "") + "); build it with "
                + SCRIPT + ", or set -D" + PROPERTY + " or " + ENV + " to a libwolfssl.so built with DTLS";
        String library = tried.get(tried.size() - 1);
        return new Loaded(last == null ? Availability.unavailable(reason) : Availability.unavailable(reason, last),
                library, Set.of());
    }

    private static boolean exports(NativeLibrary library, String symbol) {
        try {
            library.getFunction(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
