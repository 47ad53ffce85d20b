package org.dtls4j.spi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.PeerVerification;
import org.dtls4j.ProtocolVersion;

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

    /**
     * {@return whether any configured suite can authenticate with a PSK: a DTLS 1.2 PSK suite, or a
     * TLS 1.3 suite (which authenticates with a PSK or a certificate alike)}
     *
     * @param config the configuration to read
     */
    public static boolean hasPskSuites(DtlsConfig config) {
        return config.cipherSuites().stream().anyMatch(s -> isPskSuite(s) || isTls13Suite(s));
    }

    /**
     * {@return whether any configured suite can authenticate with a certificate: any but a DTLS 1.2 PSK suite}
     *
     * @param config the configuration to read
     */
    public static boolean hasCertificateSuites(DtlsConfig config) {
        return config.cipherSuites().stream().anyMatch(s -> !isPskSuite(s));
    }

    /**
     * {@return whether {@code suite} is a TLS 1.3 suite (RFC 8446 section B.4), which only DTLS 1.3
     * uses: its name, unlike a DTLS 1.2 suite's, names no key exchange ({@code _WITH_})}
     *
     * @param suite an IANA cipher suite name
     */
    public static boolean isTls13Suite(String suite) {
        return suite.startsWith("TLS_") && !suite.contains("_WITH_");
    }

    /**
     * {@return the configured suites {@code version} can use, in configured order}
     *
     * @param config the configuration to read
     * @param version the protocol version the suites must serve
     */
    public static List<String> suitesFor(DtlsConfig config, ProtocolVersion version) {
        boolean tls13 = version == ProtocolVersion.DTLS_1_3;
        return config.cipherSuites().stream().filter(s -> isTls13Suite(s) == tls13).toList();
    }

    /**
     * {@return the configuration as {@code provider} runs it, what every provider's {@code newContext}
     * calls (through {@link Capabilities#requireUsable}) and its context's
     * {@link org.dtls4j.DtlsContext#config()} returns} Versions that were set must all be
     * spoken ({@link Capabilities#requireSupported} refuses the others); versions left at the
     * default are narrowed to those the provider speaks, and the suites to those versions, so
     * a provider without DTLS 1.3 runs DTLS 1.2 and never sees a TLS 1.3 suite.
     *
     * @param provider the provider that will run the configuration
     * @param config the configuration the user gave
     * @throws DtlsUnsupportedCapabilityException if none of the default versions the
     *         configured suites serve is spoken (only TLS 1.3 suites, no DTLS 1.3)
     */
    public static DtlsConfig forProvider(DtlsProvider provider, DtlsConfig config) {
        Set<ProtocolVersion> spoken = Capabilities.protocolVersions(provider);
        if (config.protocolVersionsExplicit() || spoken.containsAll(config.protocolVersions())) {
            return config;
        }
        Set<ProtocolVersion> kept = EnumSet.noneOf(ProtocolVersion.class);
        List<String> suites = new ArrayList<>();
        for (ProtocolVersion v : config.protocolVersions()) {
            if (spoken.contains(v)) {
                kept.add(v);
                suites.addAll(suitesFor(config, v));
            }
        }
        if (kept.isEmpty()) {
            throw new DtlsUnsupportedCapabilityException(Capability.DTLS_1_3, provider.name(),
                    "only TLS 1.3 cipher suites are configured; add DTLS 1.2 suites or choose a provider with DTLS 1.3");
        }
        List<String> ordered = config.cipherSuites().stream().filter(suites::contains).toList();
        return config.toBuilder().protocolVersions(kept).cipherSuites(ordered).build();
    }

    /**
     * {@return whether a session accepts raw public keys from its peer at all: listed ones
     * ({@link DtlsConfig#trustedRawPublicKeys()}), or an application decision
     * ({@link DtlsConfig#rawPublicKeyTrust()})}
     *
     * @param config the configuration to read
     */
    public static boolean acceptsRawPublicKeys(DtlsConfig config) {
        return !config.trustedRawPublicKeys().isEmpty() || config.rawPublicKeyTrust().isPresent();
    }

    /**
     * {@return the verification mode a session of {@code role} applies to its peer: the configured one,
     * else {@link PeerVerification#REQUIRED} for a client and {@link PeerVerification#NONE}
     * for a server}
     *
     * @param config the configuration to read
     * @param role the side the session plays
     */
    public static PeerVerification peerVerification(DtlsConfig config, DtlsRole role) {
        return config.peerVerification()
                .orElse(role == DtlsRole.CLIENT ? PeerVerification.REQUIRED : PeerVerification.NONE);
    }

    private static boolean isPskSuite(String suite) {
        return suite.contains("_PSK_");
    }
}
