package org.dtls4j;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An application's say over the peer's certificate chain: the seed's {@code verify_cert}
 * callback of {@code SSL_CTX_set_verify}.
 *
 * <p>It is called during the handshake whenever the peer presents a chain, after the
 * built-in validation (if {@link PeerVerification} asks for one) has passed. Throwing
 * vetoes the chain: the handshake fails on every backend with a certificate alert
 * ({@code bad_certificate} class) sent to the peer, and the local side sees a
 * {@link DtlsAlertException} whose cause chain includes the thrown exception where the
 * backend keeps it.
 *
 * <p>Implementations must be thread-safe: a context calls it for all of its sessions,
 * possibly at once, on threads of the transport or of the provider. It should not block
 * for long: it runs inside the handshake.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface CertificateVerifier {

    /** Accepts every chain that the built-in validation accepted. The default. */
    CertificateVerifier ACCEPT_ALL = (chain, role) -> { };

    /**
     * Accepts or vetoes the peer's chain.
     *
     * @param peerChain the peer's chain, end-entity certificate first, never empty
     * @param localRole the role of the session that is asking
     * @throws CertificateException to veto the chain; the message is reported locally
     */
    void verify(List<X509Certificate> peerChain, DtlsRole localRole) throws CertificateException;
}
