package org.dtls4j.spi;

import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.PeerVerification;

/**
 * What a provider derives from a {@link DtlsConfig} the same way on every backend: which kinds
 * of cipher suite it enables, whether it accepts raw public keys, and the verification mode of
 * each role. Facts a user has no need to ask, so they live here rather than on the
 * configuration. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ConfigFacts {

    private ConfigFacts() {
    }

    /** Whether any configured suite authenticates with a PSK. */
    public static boolean hasPskSuites(DtlsConfig config) {
        return config.cipherSuites().stream().anyMatch(ConfigFacts::isPskSuite);
    }

    /** Whether any configured suite authenticates with a certificate. */
    public static boolean hasCertificateSuites(DtlsConfig config) {
        return config.cipherSuites().stream().anyMatch(s -> !isPskSuite(s));
    }

    /**
     * Whether a session accepts raw public keys from its peer at all: listed ones
     * ({@link DtlsConfig#trustedRawPublicKeys()}), or an application decision
     * ({@link DtlsConfig#rawPublicKeyTrust()}).
     */
    public static boolean acceptsRawPublicKeys(DtlsConfig config) {
        return !config.trustedRawPublicKeys().isEmpty() || config.rawPublicKeyTrust().isPresent();
    }

    /**
     * The verification mode a session of {@code role} applies to its peer: the configured one,
     * else {@link PeerVerification#REQUIRED} for a client and {@link PeerVerification#NONE}
     * for a server.
     */
    public static PeerVerification peerVerification(DtlsConfig config, DtlsRole role) {
        return config.peerVerification()
                .orElse(role == DtlsRole.CLIENT ? PeerVerification.REQUIRED : PeerVerification.NONE);
    }

    private static boolean isPskSuite(String suite) {
        return suite.contains("_PSK_");
    }
}
