package org.dtls4j.spi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.CertificateVerifier;
import org.dtls4j.DtlsConfigurationException;
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

    /**
     * {@return SHA-256 of what a server context requires of a client before its session stands:
     * the server's peer verification mode, the trust anchors and raw public keys (by their
     * encodings, in any order), and whether a certificate veto, a raw-public-key decision or a
     * PSK store is configured (objects of the application, which only their presence can stand
     * for across processes)}
     *
     * <p>Nodes that share session-ticket keys bind their sessions to it (OpenSSL's session ID
     * context, wolfSSL's ticket MAC), so that a node which requires client certificates never
     * resumes a session made at one that did not ask for them.
     *
     * @param config the server's configuration
     */
    public static byte[] clientRequirements(DtlsConfig config) {
        List<String> parts = new ArrayList<>();
        parts.add("dtls4j client requirements 1");
        parts.add("verify " + peerVerification(config, DtlsRole.SERVER));
        parts.add("anchors " + sortedHashes(config.trustedCertificates().stream().map(ConfigFacts::encoded).toList()));
        parts.add("rpk " + sortedHashes(config.trustedRawPublicKeys().stream().map(k -> k.getEncoded()).toList()));
        parts.add("veto " + (config.certificateVerifier() != CertificateVerifier.ACCEPT_ALL));
        parts.add("rpk trust " + config.rawPublicKeyTrust().isPresent());
        parts.add("psk " + config.pskKeyStore().isPresent());
        return sha256(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    private static String sortedHashes(List<byte[]> encodings) {
        return encodings.stream().map(e -> HexFormat.of().formatHex(sha256(e))).sorted().toList().toString();
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new DtlsConfigurationException("cannot encode a trusted certificate: " + e, e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private static boolean isPskSuite(String suite) {
        return suite.contains("_PSK_");
    }
}
