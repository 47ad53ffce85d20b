package org.dtls4j;

/**
 * How a session treats the certificate chain its peer presents.
 *
 * <p>The default depends on the role: a client uses {@link #REQUIRED} (it verifies the
 * server), a server uses {@link #NONE} (it does not ask clients for certificates). Set it
 * explicitly with {@link DtlsConfig.Builder#peerVerification(PeerVerification)}.
 *
 * @since 0.1
 */
public enum PeerVerification {
    /**
     * No chain validation. A server does not request a client certificate. The
     * {@link CertificateVerifier} still sees any chain the peer sends and may veto it.
     */
    NONE,
    /**
     * A server requests a client certificate but accepts a client without one; any chain
     * that is presented must validate. For a client this is the same as {@link #REQUIRED}.
     */
    OPTIONAL,
    /** The peer must present a chain that validates against the trust anchors. */
    REQUIRED
}
