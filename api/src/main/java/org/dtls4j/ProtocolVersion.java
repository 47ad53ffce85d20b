package org.dtls4j;

/**
 * A DTLS protocol version, with its wire encoding.
 *
 * <p>DTLS 1.2 is the default and the interoperability baseline: every provider speaks it.
 * A provider speaks another version when it declares that version's capability
 * ({@link Capability#DTLS_1_0}, {@link Capability#DTLS_1_3}); a configuration that names
 * a version its provider does not speak is refused when the context is built.
 *
 * @since 0.1
 */
public enum ProtocolVersion {
    /** DTLS 1.0 (RFC 4347), wire version {@code 0xfeff}. Off unless asked for. */
    DTLS_1_0(0xfeff, "DTLSv1.0"),
    /** DTLS 1.2 (RFC 6347), wire version {@code 0xfefd}. */
    DTLS_1_2(0xfefd, "DTLSv1.2"),
    /** DTLS 1.3 (RFC 9147), wire version {@code 0xfefc}. */
    DTLS_1_3(0xfefc, "DTLSv1.3");

    private final int wireVersion;
    private final String standardName;

    ProtocolVersion(int wireVersion, String standardName) {
        this.wireVersion = wireVersion;
        this.standardName = standardName;
    }

    /** {@return the two-byte version as it appears in record headers, such as {@code 0xfefd}} */
    public int wireVersion() {
        return wireVersion;
    }

    /** {@return the JSSE-style name, such as {@code "DTLSv1.2"}} */
    public String standardName() {
        return standardName;
    }

    /**
     * {@return the version with this JSSE-style name ({@code "DTLSv1.2"}) or enum name}
     *
     * @param name a name such as {@code "DTLSv1.2"} or {@code "DTLS_1_2"}
     * @throws DtlsConfigurationException if the name matches no version
     */
    public static ProtocolVersion of(String name) {
        java.util.Objects.requireNonNull(name, "name");
        for (ProtocolVersion v : values()) {
            if (v.standardName.equalsIgnoreCase(name) || v.name().equalsIgnoreCase(name)) {
                return v;
            }
        }
        throw new DtlsConfigurationException("unknown DTLS protocol version '" + name
                + "'; use one of DTLSv1.0, DTLSv1.2, DTLSv1.3");
    }
}
