package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.spi.DecodedCertificates;

/**
 * A {@link Credentials} in BouncyCastle's form: the private key as lightweight key
 * parameters and the chain as a TLS {@link Certificate} (of type RawPublicKey for raw public
 * key credentials, RFC 7250), converted once per context.
 *
 * <p>Immutable and thread-safe.
 */
final class LocalCredentials {

    private final BcTlsCrypto crypto;
    private final AsymmetricKeyParameter key;
    private final Certificate certificate;
    private final String keyAlgorithm;
    private final boolean rawPublicKey;

    private LocalCredentials(BcTlsCrypto crypto, AsymmetricKeyParameter key, Certificate certificate, String keyAlgorithm,
                             boolean rawPublicKey) {
        this.rawPublicKey = rawPublicKey;
        this.crypto = crypto;
        this.key = key;
        this.certificate = certificate;
        this.keyAlgorithm = keyAlgorithm;
    }

    static LocalCredentials of(BcTlsCrypto crypto, Credentials credentials) {
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(credentials.privateKey().getEncoded());
            if (credentials.isRawPublicKey()) {
                TlsCertificate raw = new BcTlsRawKeyCertificate(crypto, credentials.publicKey().getEncoded());
                Certificate certificate = new Certificate(CertificateType.RawPublicKey, null,
                        new CertificateEntry[] {new CertificateEntry(raw, null)});
                return new LocalCredentials(crypto, key, certificate, credentials.keyAlgorithm(), true);
            }
            List<X509Certificate> chain = credentials.certificateChain();
            TlsCertificate[] tls = new TlsCertificate[chain.size()];
            for (int i = 0; i < tls.length; i++) {
                tls[i] = crypto.createCertificate(chain.get(i).getEncoded());
            }
            return new LocalCredentials(crypto, key, new Certificate(tls), credentials.keyAlgorithm(), false);
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            throw new DtlsConfigurationException("BouncyCastle cannot use the " + credentials.keyAlgorithm()
                    + " credentials: " + e + "; use an EC (P-256/P-384), Ed25519 or RSA key", e);
        }
    }

    /** Whether these are raw public key credentials: the peer gets a RawPublicKey certificate. */
    boolean isRawPublicKey() {
        return rawPublicKey;
    }

    /** Whether the key signs for the ECDSA suites (EC and EdDSA keys do in DTLS 1.2). */
    boolean signsEcdsa() {
        return switch (keyAlgorithm) {
            case "EC", "EdDSA", "Ed25519", "Ed448" -> true;
            default -> false;
        };
    }

    /** Whether the key signs for the RSA suites. */
    boolean signsRsa() {
        return keyAlgorithm.equals("RSA") || keyAlgorithm.equals("RSASSA-PSS");
    }

    /**
     * A signer for one handshake, with the first algorithm the peer offered that fits the key.
     *
     * @param offered the peer's signature_algorithms, or null if it sent none (DTLS 1.0)
     * @return null if no offered algorithm fits
     */
    TlsCredentialedSigner signer(TlsContext context, Vector<?> offered) {
        SignatureAndHashAlgorithm chosen = choose(offered);
        if (offered != null && chosen == null) {
            return null;
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, certificate, chosen);
    }

    private SignatureAndHashAlgorithm choose(Vector<?> offered) {
        if (offered == null) {
            return null;
        }
        List<SignatureAndHashAlgorithm> fits = new ArrayList<>();
        for (Object o : offered) {
            SignatureAndHashAlgorithm a = (SignatureAndHashAlgorithm) o;
            if (fits(a)) {
                fits.add(a);
            }
        }
        // prefer SHA-256 over what the peer listed first, for P-256 and RSA-2048 keys
        for (SignatureAndHashAlgorithm a : fits) {
            if (a.getHash() == HashAlgorithm.sha256) {
                return a;
            }
        }
        return fits.isEmpty() ? null : fits.get(0);
    }

    private boolean fits(SignatureAndHashAlgorithm a) {
        short s = a.getSignature();
        return switch (keyAlgorithm) {
            case "EC" -> s == SignatureAlgorithm.ecdsa;
            case "Ed25519", "EdDSA" -> s == SignatureAlgorithm.ed25519;
            case "Ed448" -> s == SignatureAlgorithm.ed448;
            case "RSA" -> s == SignatureAlgorithm.rsa || s == SignatureAlgorithm.rsa_pss_rsae_sha256
                    || s == SignatureAlgorithm.rsa_pss_rsae_sha384 || s == SignatureAlgorithm.rsa_pss_rsae_sha512;
            default -> false;
        };
    }

    /** The SubjectPublicKeyInfo of a peer's raw public key, or null if it sent X.509 (or nothing). */
    static byte[] rawPublicKey(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty() || chain.getCertificateType() != CertificateType.RawPublicKey) {
            return null;
        }
        return chain.getCertificateAt(0).getEncoded();
    }

    /** A peer's TLS certificate chain as X.509 certificates, end-entity first; empty for a raw public key. */
    static List<X509Certificate> x509(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty() || chain.getCertificateType() != CertificateType.X509) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>(chain.getLength());
            for (TlsCertificate c : chain.getCertificateList()) {
                out.add(DecodedCertificates.decode(c.getEncoded()));
            }
            return List.copyOf(out);
        } catch (CertificateException e) {
            throw new IOException("cannot read the peer's certificate: " + e.getMessage(), e);
        }
    }
}
