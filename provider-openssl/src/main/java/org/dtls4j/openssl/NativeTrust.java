package org.dtls4j.openssl;

import com.sun.jna.Pointer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.dtls4j.CertificateVerifier;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsRole;
import org.dtls4j.PeerVerification;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.PeerCertificates;

/**
 * A server's client-chain check done by libssl itself where the shared validator would add
 * nothing to it: the configuration names its own trust anchors, has no
 * {@link CertificateVerifier} of its own, and a server checks no host name. The anchors go into
 * the {@code SSL_CTX}'s store once, with {@code X509_V_FLAG_PARTIAL_CHAIN} so that any anchor
 * ends a chain, as in PKIX, and {@code X509_verify_cert} decides; OpenSSL turns its verdict into
 * the same alerts the shared validator chooses (expired: certificate_expired; no anchor:
 * unknown_ca). Measured with {@code ServerHandshakeCost} (docs/PERFORMANCE.md): the Java
 * validation (the JDK's PKIX with its ECDSA, the chain parsed into Java) was the largest part of
 * the Java time of a mutual-auth handshake on the server.
 *
 * <p>Where libssl is stricter than the JDK's PKIX as {@link PeerCertificates} runs it: it checks
 * the certificate's purpose (a client certificate whose extendedKeyUsage lacks clientAuth is
 * refused) and its security level (Debian's default level 2 refuses, for instance, RSA keys
 * under 2048 bits and SHA-1 signatures).
 *
 * <p>Thread-safe: stateless.
 */
final class NativeTrust {

    /** {@code X509_V_FLAG_PARTIAL_CHAIN}: a trusted certificate that is not self-signed ends a chain. */
    private static final long X509_V_FLAG_PARTIAL_CHAIN = 0x80000;

    private NativeTrust() {
    }

    /** Whether libssl checks the client chains of a server made from {@code config}. */
    static boolean decides(DtlsConfig config) {
        return config.certificateVerifier() == CertificateVerifier.ACCEPT_ALL && !config.trustedCertificates().isEmpty()
                && ConfigFacts.peerVerification(config, DtlsRole.SERVER) != PeerVerification.NONE;
    }

    /** Puts the trust anchors of {@code config} into the store of {@code ctx}, where {@link #decides} says so. */
    static void load(Pointer ctx, DtlsConfig config) {
        if (!decides(config)) {
            return;
        }
        Pointer store = LibSsl.SSL_CTX_get_cert_store(ctx);
        for (X509Certificate anchor : config.trustedCertificates()) {
            byte[] der;
            try {
                der = anchor.getEncoded();
            } catch (CertificateEncodingException e) {
                throw new DtlsConfigurationException("cannot encode the trusted certificate "
                        + anchor.getSubjectX500Principal() + ": " + e.getMessage(), e);
            }
            Pointer x509 = OpenSslContext.Der.toX509(der);
            try {
                if (LibSsl.X509_STORE_add_cert(store, x509) != 1) {
                    throw new DtlsConfigurationException("OpenSSL cannot add the trusted certificate "
                            + anchor.getSubjectX500Principal() + " to its store: " + OpenSslErrors.drain());
                }
            } finally {
                LibSsl.X509_free(x509); // the store took its own reference
                NativeObjects.COUNTS.freed(NativeObjects.Type.X509);
            }
        }
        LibSsl.X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
    }

    /**
     * Runs OpenSSL's own chain verification for {@code session}, as OpenSSL does when no callback
     * is set; a refusal is kept on the session with OpenSSL's reason, for its failure's message.
     */
    static int verify(Pointer storeCtx, OpenSslSession session) {
        int ok = LibSsl.X509_verify_cert(storeCtx);
        if (ok != 1) {
            int error = LibSsl.X509_STORE_CTX_get_error(storeCtx);
            session.refused(new PeerCertificates.RefusedException(DtlsAlert.BAD_CERTIFICATE, "libssl refused the peer's chain: "
                    + LibSsl.X509_verify_cert_error_string(error) + " (X509 error " + error + ")", null));
        }
        return ok;
    }
}
