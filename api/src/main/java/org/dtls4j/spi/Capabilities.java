package org.dtls4j.spi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.ProtocolVersion;

/**
 * Which capabilities a configuration needs, and the check every provider runs when it
 * makes a context.
 *
 * @since 0.1
 */
public final class Capabilities {

    /** The capability that declares each version; DTLS 1.2, which every provider speaks, has none. */
    private static final Map<ProtocolVersion, Capability> VERSIONS = Map.of(
            ProtocolVersion.DTLS_1_0, Capability.DTLS_1_0,
            ProtocolVersion.DTLS_1_3, Capability.DTLS_1_3);

    private Capabilities() {
    }

    /**
     * {@return the protocol versions {@code provider} speaks: DTLS 1.2, which every provider speaks,
     * and each version whose capability it declares in {@link DtlsProvider#capabilities()}}
     * Versions have no declaration of their own, so this and {@link #requireSupported} (which
     * refuses a configuration naming a version not listed here) read the same one.
     *
     * @param provider the provider whose declaration is read
     */
    public static Set<ProtocolVersion> protocolVersions(DtlsProvider provider) {
        Set<Capability> capabilities = provider.capabilities();
        Set<ProtocolVersion> out = EnumSet.of(ProtocolVersion.DTLS_1_2);
        VERSIONS.forEach((v, c) -> {
            if (capabilities.contains(c)) {
                out.add(v);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    /**
     * Each capability the configuration needs, with the setting that needs it. Versions left
     * at the default need nothing: a provider narrows them ({@link ConfigFacts#forProvider}).
     *
     * @param config the configuration to read
     * @return each needed capability mapped to the configuration setting that needs it, in
     *     declaration order
     */
    public static Map<Capability, String> requiredBy(DtlsConfig config) {
        Map<Capability, String> out = new EnumMap<>(Capability.class);
        for (ProtocolVersion v : config.protocolVersionsExplicit() ? config.protocolVersions() : Set.<ProtocolVersion>of()) {
            Capability c = VERSIONS.get(v);
            if (c != null) {
                out.put(c, "protocolVersions includes " + v.standardName());
            }
        }
        if (config.preSharedKey().isPresent() || config.pskKeyStore().isPresent()) {
            out.put(Capability.PSK, "a pre-shared key is configured");
        }
        if (config.credentials().map(Credentials::isRawPublicKey).orElse(false)) {
            out.put(Capability.RAW_PUBLIC_KEY, "raw public key credentials are configured");
        } else if (!config.trustedRawPublicKeys().isEmpty()) {
            out.put(Capability.RAW_PUBLIC_KEY, "trustedRawPublicKeys are configured");
        } else if (config.rawPublicKeyTrust().isPresent()) {
            out.put(Capability.RAW_PUBLIC_KEY, "a rawPublicKeyTrust is configured");
        }
        if (config.heartbeat()) {
            out.put(Capability.HEARTBEAT, "heartbeat(true) is configured");
        }
        if (config.connectionIdLength().isPresent()) {
            out.put(Capability.CONNECTION_ID, "connectionIdLength is configured");
        }
        if (!config.srtpProfiles().isEmpty()) {
            out.put(Capability.SRTP, "srtpProfiles are configured");
        }
        if (!config.applicationProtocols().isEmpty()) {
            out.put(Capability.ALPN, "applicationProtocols are configured");
        }
        if (config.serverName().isPresent()) {
            out.put(Capability.SNI, "serverName is configured");
        }
        if (config.sessionTicketKeys().isPresent()) {
            out.put(Capability.SHARED_SESSION_TICKETS, "sessionTicketKeys are configured");
        }
        return out;
    }

    /**
     * What every provider's {@code newContext} calls first: checks that the provider is
     * available here and declares every capability the configuration needs, and returns the
     * configuration as the provider runs it ({@link ConfigFacts#forProvider}: default versions
     * narrowed to those it speaks), which is what the context must use and report.
     *
     * @param provider the provider that makes the context
     * @param config the configuration the user gave
     * @return the configuration for the provider's context
     * @throws org.dtls4j.DtlsConfigurationException if the provider is unavailable, naming why
     * @throws DtlsUnsupportedCapabilityException as {@link #requireSupported}, or when no
     *         default version the configured suites serve is spoken
     */
    public static DtlsConfig requireUsable(DtlsProvider provider, DtlsConfig config) {
        java.util.Objects.requireNonNull(config, "config");
        Availability a = provider.availability();
        if (!a.isAvailable()) {
            throw new org.dtls4j.DtlsConfigurationException("provider '" + provider.name() + "' is unavailable: "
                    + a.reason().orElse("unknown reason") + "; choose another provider", a.cause().orElse(null));
        }
        requireSupported(provider, config);
        return ConfigFacts.forProvider(provider, config);
    }

    /**
     * Refuses a configuration that needs a capability the provider does not declare.
     *
     * @param provider the provider that would run the configuration
     * @param config the configuration to check
     * @throws DtlsUnsupportedCapabilityException naming the first missing capability,
     *         the provider, and the setting that asked for it
     */
    public static void requireSupported(DtlsProvider provider, DtlsConfig config) {
        for (Map.Entry<Capability, String> e : requiredBy(config).entrySet()) {
            if (!provider.capabilities().contains(e.getKey())) {
                throw new DtlsUnsupportedCapabilityException(e.getKey(), provider.name(), e.getValue());
            }
        }
    }
}
