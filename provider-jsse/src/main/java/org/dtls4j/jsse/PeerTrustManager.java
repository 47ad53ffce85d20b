package org.dtls4j.jsse;

import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.spi.PeerCertificates;

/**
 * Hands every peer chain JSSE receives to the shared {@link PeerCertificates} validator,
 * so that JSSE accepts and refuses exactly what the other backends do.
 *
 * <p>JSSE picks the alert it sends from the cause of the {@link CertificateException} a
 * trust manager throws (on the client side only: a JDK 17 server always sends
 * {@code certificate_unknown}). A refusal is therefore rethrown with a
 * {@link CertPathValidatorException} cause whose reason leads JSSE to the validator's
 * alert where it has one; the validator's {@link PeerCertificates.RefusedException}, and
 * the application's veto inside it, stay in the cause chain for the local report.
 *
 * <p>Thread-safe and stateless: one instance serves every session of a context.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

    private final DtlsConfig config;
    private final X509Certificate[] acceptedIssuers;

    PeerTrustManager(DtlsConfig config) {
        this.config = config;
        // Only anchors the application gave: listing the whole JDK trust store in every
        // CertificateRequest would add kilobytes to a flight, fragmented over datagrams.
        this.acceptedIssuers = config.trustedCertificates().toArray(new X509Certificate[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        validate(DtlsRole.SERVER, chain, "");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        validate(DtlsRole.CLIENT, chain, config.serverName().orElse(""));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        validate(DtlsRole.SERVER, chain, "");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        validate(DtlsRole.CLIENT, chain, config.serverName().orElse(""));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        validate(DtlsRole.SERVER, chain, "");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        validate(DtlsRole.CLIENT, chain, config.serverName().orElse(""));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.clone();
    }

    private void validate(DtlsRole role, X509Certificate[] chain, String serverName) throws CertificateException {
        try {
            PeerCertificates.validate(config, role, chain == null ? List.of() : List.of(chain), serverName);
        } catch (PeerCertificates.RefusedException refused) {
            throw steerJsseAlert(refused);
        }
    }

    /**
     * The refusal again, with a cause JSSE maps to the same alert: a
     * {@link CertPathValidatorException} whose reason JSSE's client translates, wrapping
     * the original refusal.
     */
    static PeerCertificates.RefusedException steerJsseAlert(PeerCertificates.RefusedException refused) {
        CertPathValidatorException.Reason reason = reasonFor(refused.alert());
        CertPathValidatorException cause = new CertPathValidatorException(
                refused.getMessage(), refused, null, -1, reason);
        return new PeerCertificates.RefusedException(refused.alert(), refused.getMessage(), cause);
    }

    /** The reason JDK 17's client-side {@code getCertificateAlert} turns into {@code alert}. */
    static CertPathValidatorException.Reason reasonFor(DtlsAlert alert) {
        return switch (alert) {
            case BAD_CERTIFICATE -> CertPathValidatorException.BasicReason.INVALID_SIGNATURE;
            case CERTIFICATE_EXPIRED -> CertPathValidatorException.BasicReason.EXPIRED;
            case CERTIFICATE_REVOKED -> CertPathValidatorException.BasicReason.REVOKED;
            case UNSUPPORTED_CERTIFICATE -> CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED;
            // unknown_ca has no reason JSSE maps; it sends certificate_unknown, also a certificate alert
            default -> CertPathValidatorException.BasicReason.UNSPECIFIED;
        };
    }
}
