package org.dtls4j;

/**
 * A configuration asked a provider for a {@link Capability} it does not declare.
 *
 * @since 0.1
 */
public class DtlsUnsupportedCapabilityException extends DtlsConfigurationException {

    private final Capability capability;
    private final String provider;

    public DtlsUnsupportedCapabilityException(Capability capability, String provider, String why) {
        super("provider '" + provider + "' does not support " + capability + ": " + why
                + "; choose a provider that declares " + capability
                + " (Dtls.providers() lists them) or remove that setting");
        this.capability = capability;
        this.provider = provider;
    }

    /** The capability that was asked for. */
    public Capability capability() {
        return capability;
    }

    /** The name of the provider that lacks it. */
    public String provider() {
        return provider;
    }
}
