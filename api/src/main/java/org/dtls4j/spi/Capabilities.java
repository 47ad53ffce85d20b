package org.dtls4j.spi;

import java.util.EnumMap;
import java.util.Map;
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

    private Capabilities() {
    }

    /** Each capability the configuration needs, with the setting that needs it. */
    public static Map<Capability, String> requiredBy(DtlsConfig config) {
        Map<Capability, String> out = new EnumMap<>(Capability.class);
        if (config.protocolVersions().contains(ProtocolVersion.DTLS_1_0)) {
            out.put(Capability.DTLS_1_0, "protocolVersions includes DTLSv1.0");
        }
        if (config.protocolVersions().contains(ProtocolVersion.DTLS_1_3)) {
            out.put(Capability.DTLS_1_3, "protocolVersions includes DTLSv1.3");
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
        return out;
    }

    /**
     * What every provider's {@code newContext} checks first: the provider is available here,
     * and it declares every capability the configuration needs.
     *
     * @throws org.dtls4j.DtlsConfigurationException if the provider is unavailable, naming why
     * @throws DtlsUnsupportedCapabilityException as {@link #requireSupported}
     */
    public static void requireUsable(DtlsProvider provider, DtlsConfig config) {
        java.util.Objects.requireNonNull(config, "config");
        Availability a = provider.availability();
        if (!a.isAvailable()) {
            throw new org.dtls4j.DtlsConfigurationException("provider '" + provider.name() + "' is unavailable: "
                    + a.reason().orElse("unknown reason") + "; choose another provider", a.cause().orElse(null));
        }
        requireSupported(provider, config);
    }

    /**
     * Refuses a configuration that needs a capability the provider does not declare.
     *
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
