package org.dtls4j.spi;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsRole;
import org.dtls4j.PeerVerification;

/**
 * Peer chain validation that every provider can share, so that a chain is accepted or
 * refused the same way, with the same alert, on every backend: PKIX validation against the
 * configured trust anchors (or the JDK's), the server name check, then the application's
 * {@link org.dtls4j.CertificateVerifier}.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class PeerCertificates {

    private PeerCertificates() {
    }

    /**
     * A refused peer chain, with the alert that tells the peer why.
     *
     * @since 0.1
     */
    public static final class RefusedException extends CertificateException {
        /** The alert to send. */
        private final DtlsAlert alert;

        /**
         * A refusal that sends {@code alert}, with a message that says why and the validation
         * failure as the cause.
         *
         * @param alert the certificate alert to send
         * @param message why the chain or key was refused
         * @param cause the validation failure, or {@code null} when the refusal has no underlying one
         */
        public RefusedException(DtlsAlert alert, String message, Throwable cause) {
            super(message, cause);
            this.alert = alert;
        }

        /** {@return the alert to send: a certificate alert such as {@code bad_certificate}} */
        public DtlsAlert alert() {
            return alert;
        }
    }

    /**
     * Validates the peer's chain as {@code config} says for a session of {@code localRole}.
     *
     * @param peerChain end-entity first; empty if the peer sent no certificate
     * @param serverName for a client, the host name the server certificate must match, or
     *        an empty string to skip that check
     * @param config the configuration that says which anchors, verification mode and verifier apply
     * @param localRole the role of the session that received the chain
     * @throws RefusedException if the chain is refused, carrying the alert to send
     */
    public static void validate(DtlsConfig config, DtlsRole localRole, List<X509Certificate> peerChain,
                                String serverName) throws RefusedException {
        PeerVerification mode = ConfigFacts.peerVerification(config, localRole);
        if (peerChain.isEmpty()) {
            // OPTIONAL only lets a server accept a client without a certificate; a client needs one
            if (mode == PeerVerification.REQUIRED || (mode == PeerVerification.OPTIONAL && localRole == DtlsRole.CLIENT)) {
                throw new RefusedException(localRole == DtlsRole.SERVER ? DtlsAlert.HANDSHAKE_FAILURE
                        : DtlsAlert.BAD_CERTIFICATE, "the peer presented no certificate but one is required", null);
            }
            return;
        }
        if (mode != PeerVerification.NONE) {
            validatePath(config, peerChain);
            if (localRole == DtlsRole.CLIENT && config.hostnameVerification() && !serverName.isEmpty()) {
                checkHostName(peerChain.get(0), serverName);
            }
        }
        try {
            config.certificateVerifier().verify(peerChain, localRole);
        } catch (CertificateException veto) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE,
                    "the certificate verifier refused the peer's chain: " + veto.getMessage(), veto);
        } catch (RuntimeException bug) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE,
                    "the certificate verifier failed: " + bug, bug);
        }
    }

    /**
     * Checks a raw public key (RFC 7250) the peer authenticated with, as {@code config} says
     * for a session of {@code localRole}: a key {@link DtlsConfig#trustedRawPublicKeys()}
     * lists is accepted (and that listed key returned, to report); any other is read and
     * given to the {@link DtlsConfig#rawPublicKeyTrust()}, if there is one; with
     * verification off, any readable key is taken as it is.
     *
     * @param peerKey the peer's key, as X.509 SubjectPublicKeyInfo bytes
     * @param config the configuration that lists the trusted keys and the verification mode
     * @param localRole the role of the session that received the key
     * @return the key to report in the session info
     * @throws RefusedException with {@code bad_certificate} if the key is refused or cannot be read
     */
    public static PublicKey validateRawPublicKey(DtlsConfig config, DtlsRole localRole, byte[] peerKey)
            throws RefusedException {
        for (PublicKey trusted : config.trustedRawPublicKeys()) {
            if (MessageDigest.isEqual(trusted.getEncoded(), peerKey)) {
                return trusted;
            }
        }
        PublicKey key = RawPublicKeys.decode(peerKey).orElseThrow(() -> new RefusedException(DtlsAlert.BAD_CERTIFICATE,
                "cannot read the peer's raw public key", null));
        if (ConfigFacts.peerVerification(config, localRole) == PeerVerification.NONE) {
            return key;
        }
        if (config.rawPublicKeyTrust().isEmpty()) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE,
                    "the peer's raw public key is not one of trustedRawPublicKeys", null);
        }
        boolean trusted;
        try {
            trusted = config.rawPublicKeyTrust().get().trusts(key, localRole);
        } catch (RuntimeException bug) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE, "the rawPublicKeyTrust failed: " + bug, bug);
        }
        if (!trusted) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE, "the rawPublicKeyTrust refused the peer's raw public key",
                    null);
        }
        return key;
    }

    /**
     * The trust anchors {@code config} means: its own, or the JDK's default trust store.
     *
     * @param config the configuration to read
     * @return the trust anchors; never empty when the JDK's trust store has certificates
     */
    public static Set<TrustAnchor> trustAnchors(DtlsConfig config) {
        List<X509Certificate> certs = config.trustedCertificates().isEmpty()
                ? JdkTrust.CERTIFICATES : config.trustedCertificates();
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : certs) {
            anchors.add(new TrustAnchor(c, null));
        }
        return anchors;
    }

    /** Reads SubjectPublicKeyInfo bytes with the JDK's key factories. */
    private static final class RawPublicKeys {
        private static final List<String> ALGORITHMS = List.of("EC", "Ed25519", "Ed448", "RSA");

        static Optional<java.security.PublicKey> decode(byte[] spki) {
            for (String algorithm : ALGORITHMS) {
                try {
                    return Optional.of(KeyFactory.getInstance(algorithm)
                            .generatePublic(new X509EncodedKeySpec(spki)));
                } catch (GeneralSecurityException notThisOne) {
                    // try the next algorithm
                }
            }
            return Optional.empty();
        }
    }

    private static void validatePath(DtlsConfig config, List<X509Certificate> chain) throws RefusedException {
        Set<TrustAnchor> anchors = trustAnchors(config);
        if (anchors.isEmpty()) {
            throw new RefusedException(DtlsAlert.UNKNOWN_CA, "no trust anchors configured and the JDK trust store is empty", null);
        }
        // A chain that ends in an anchor itself validates without it.
        List<X509Certificate> path = chain;
        X509Certificate last = chain.get(chain.size() - 1);
        for (TrustAnchor a : anchors) {
            if (a.getTrustedCert().equals(last) && chain.size() > 1) {
                path = chain.subList(0, chain.size() - 1);
                break;
            }
        }
        try {
            for (X509Certificate c : chain) {
                c.checkValidity();
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertificateExpiredException e) {
            throw new RefusedException(DtlsAlert.CERTIFICATE_EXPIRED, "peer certificate expired: " + e.getMessage(), e);
        } catch (CertificateNotYetValidException e) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE, "peer certificate not yet valid: " + e.getMessage(), e);
        } catch (CertPathValidatorException e) {
            DtlsAlert alert = e.getReason() == PKIXReason.NO_TRUST_ANCHOR ? DtlsAlert.UNKNOWN_CA
                    : e.getReason() == CertPathValidatorException.BasicReason.EXPIRED ? DtlsAlert.CERTIFICATE_EXPIRED
                    : e.getReason() == CertPathValidatorException.BasicReason.REVOKED ? DtlsAlert.CERTIFICATE_REVOKED
                    : DtlsAlert.BAD_CERTIFICATE;
            throw new RefusedException(alert, "peer certificate chain does not validate: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new RefusedException(DtlsAlert.CERTIFICATE_UNKNOWN, "cannot validate peer chain: " + e.getMessage(), e);
        }
    }

    private static void checkHostName(X509Certificate cert, String host) throws RefusedException {
        String want = host.toLowerCase(Locale.ROOT);
        try {
            var names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (Integer.valueOf(2).equals(n.get(0)) && matches(((String) n.get(1)).toLowerCase(Locale.ROOT), want)) {
                        return;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new RefusedException(DtlsAlert.BAD_CERTIFICATE, "unreadable subjectAltName: " + e.getMessage(), e);
        }
        throw new RefusedException(DtlsAlert.CERTIFICATE_UNKNOWN,
                "server certificate has no DNS subjectAltName matching '" + host + "'", null);
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    /** The JDK's default trust store, loaded once on first use. */
    private static final class JdkTrust {
        static final List<X509Certificate> CERTIFICATES = load();

        private static List<X509Certificate> load() {
            try {
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init((KeyStore) null);
                for (var tm : f.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        return List.of(x.getAcceptedIssuers());
                    }
                }
                return List.of();
            } catch (GeneralSecurityException e) {
                throw new DtlsConfigurationException("cannot load the JDK default trust store: " + e.getMessage()
                        + "; configure trustedCertificates(...)", e);
            }
        }
    }
}
