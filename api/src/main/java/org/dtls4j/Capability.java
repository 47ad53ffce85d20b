package org.dtls4j;

/**
 * An optional feature that a provider may declare.
 *
 * <p>Everything not listed here is required of every provider and checked by the TCK.
 * A configuration that needs a capability the provider does not declare is refused when
 * the context is created, with a {@link DtlsUnsupportedCapabilityException} that names
 * both: never a silent downgrade, never a failure mid-handshake.
 *
 * @since 0.1
 */
public enum Capability {
    /** DTLS 1.0 in addition to 1.2; see {@link org.dtls4j.spi.Capabilities#protocolVersions}. */
    DTLS_1_0,
    /** DTLS 1.3 (RFC 9147); see {@link org.dtls4j.spi.Capabilities#protocolVersions}. */
    DTLS_1_3,
    /** Pre-shared keys (RFC 4279, RFC 5489), plain PSK and ECDHE-PSK with AEAD suites. */
    PSK,
    /** Raw public keys instead of certificates (RFC 7250). */
    RAW_PUBLIC_KEY,
    /** The heartbeat extension (RFC 6520) for peer liveness. */
    HEARTBEAT,
    /** Connection identifiers (RFC 9146). */
    CONNECTION_ID,
    /** The use_srtp extension (RFC 5764). */
    SRTP,
    /** Keying material exporters (RFC 5705). */
    KEYING_MATERIAL_EXPORTER,
    /** Abbreviated handshakes that resume an earlier session. */
    SESSION_RESUMPTION,
    /** Application-layer protocol negotiation (RFC 7301). */
    ALPN,
    /** Server name indication (RFC 6066) sent by clients and read by servers. */
    SNI,
    /**
     * Stateless session tickets under keys shared by several server nodes
     * ({@link DtlsConfig.Builder#sessionTicketKeys(SharedKeys)}), so a client that resumes at
     * another node gets an abbreviated handshake; clients offer tickets.
     */
    SHARED_SESSION_TICKETS
}
