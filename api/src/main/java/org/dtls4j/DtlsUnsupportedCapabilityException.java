package org.dtls4j;

/**
 * A configuration asked a provider for a {@link Capability} it does not declare.
 *
 * @since 0.1
 */
public class DtlsUnsupportedCapabilityException extends DtlsConfigurationException {

    /** The capability that was asked for. */
    private final Capability capability;
    /** The name of the provider that lacks it. */
    private final String provider;

    /**
     * An exception for {@code provider}, which lacks {@code capability}; {@code why} names the
     * setting that asked for it.
     *
     * @param capability the capability asked for
     * @param provider the name of the provider that lacks it
     * @param why the setting that asked for it
     */
    public DtlsUnsupportedCapabilityException(Capability capability, String provider, String why) {
        super("provider '" + provider + "' does not support " + capability + ": " + why
                + "; choose a provider that declares " + capability
                + " (Dtls.providers() lists them) or remove that setting");
        this.capability = capability;
        this.provider = provider;
    }

    /** {@return the capability that was asked for} */
    public Capability capability() {
        return capability;
    }

    /** {@return the name of the provider that lacks it} */
    public String provider() {
        return provider;
    }
}
