package org.dtls4j;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys and certificates for tests, made with the JDK's key generators and bcpkix's
 * certificate builder. Nothing here touches the file system or an external tool.
 *
 * <p>The api's own: its tests cannot use the tck's {@code TckPki} (the tck depends on the
 * api). It makes loose keys and certificates for the api's parsing and validation tests,
 * where every other module's tests use {@code TckPki}'s ready-made credentials.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TestPki() {
    }

    /** A key pair and the certificate for its public key. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    /** A fresh P-256 key pair: cheap enough to make per test. */
    public static KeyPair ecKeyPair() {
        return generate("EC", new ECGenParameterSpec("secp256r1"), 0);
    }

    /** A fresh 2048-bit RSA key pair: slow, so tests share {@link #sharedRsaKeyPair()}. */
    public static KeyPair rsaKeyPair() {
        return generate("RSA", null, 2048);
    }

    /** One 2048-bit RSA key pair for the whole test run, made on first use. */
    public static KeyPair sharedRsaKeyPair() {
        return SharedRsa.KEYS;
    }

    private static final class SharedRsa {
        static final KeyPair KEYS = rsaKeyPair();
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair ed25519KeyPair() {
        return generate("Ed25519", null, 0);
    }

    /** A self-signed CA certificate valid from yesterday to tomorrow. */
    public static Issued ca(String commonName) {
        KeyPair keys = ecKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name(commonName), serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                name(commonName), keys.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(keys, sign(b, keys, "SHA256withECDSA"));
    }

    /** An end-entity certificate for a fresh EC key, valid from yesterday to tomorrow. */
    public static Issued leaf(Issued issuer, String commonName, String... dnsNames) {
        Instant now = Instant.now();
        return leaf(issuer, ecKeyPair(), commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)),
                dnsNames);
    }

    /** An end-entity certificate for {@code keys} with explicit validity. */
    public static Issued leaf(Issued issuer, KeyPair keys, String commonName, Instant notBefore, Instant notAfter,
                              String... dnsNames) {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), serial(),
                Date.from(notBefore), Date.from(notAfter), name(commonName), keys.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(keys, sign(b, issuer.keys(), "SHA256withECDSA"));
    }

    /** A self-signed end-entity certificate for {@code keys}, signed with {@code signatureAlgorithm}. */
    public static X509Certificate selfSigned(KeyPair keys, String commonName, String signatureAlgorithm) {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name(commonName), serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                name(commonName), keys.getPublic());
        return sign(b, keys, signatureAlgorithm);
    }

    /** A PEM block as {@code openssl} writes it: 64 base64 characters a line. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** PEM text written by bcpkix's {@link JcaPEMWriter}: an independent encoder. */
    public static String bcPem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer, String algorithm) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500Name("CN=" + commonName);
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                g.initialize(spec);
            } else if (bits > 0) {
                g.initialize(bits);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + algorithm + " test key", e);
        }
    }
}
