package org.dtls4j.jsse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.dtls4j.Credentials;

/**
 * Certificates for this module's tests, made once per JVM: a CA, ECDSA P-256 and RSA-2048
 * servers, a client, an expired server and one from a CA nobody trusts.
 */
final class TestPki {

    static final String SERVER_NAME = "server.jsse.test";

    private static final AtomicLong SERIAL = new AtomicLong(1);

    final X509Certificate caCertificate;
    final Credentials ecServer;
    final Credentials rsaServer;
    final Credentials ecClient;
    final Credentials expiredServer;
    final Credentials untrustedServer;
    final Credentials ed25519Server;

    private TestPki() {
        Instant now = Instant.now();
        Issuer ca = Issuer.selfSigned("CN=jsse test CA", now);
        Issuer rogue = Issuer.selfSigned("CN=jsse rogue CA", now);
        caCertificate = ca.certificate;
        Instant from = now.minus(Duration.ofHours(1));
        Instant until = now.plus(Duration.ofDays(1));
        ecServer = ca.issue("CN=" + SERVER_NAME, ec(), from, until, SERVER_NAME);
        rsaServer = ca.issue("CN=" + SERVER_NAME, rsa(), from, until, SERVER_NAME);
        ecClient = ca.issue("CN=client.jsse.test", ec(), from, until);
        expiredServer = ca.issue("CN=" + SERVER_NAME, ec(), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)),
                SERVER_NAME);
        untrustedServer = rogue.issue("CN=" + SERVER_NAME, ec(), from, until, SERVER_NAME);
        ed25519Server = ca.issue("CN=" + SERVER_NAME, ed25519(), from, until, SERVER_NAME);
    }

    static TestPki get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final TestPki INSTANCE = new TestPki();
    }

    private record Issuer(KeyPair keys, X509Certificate certificate) {

        static Issuer selfSigned(String dn, Instant now) {
            KeyPair keys = ec();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(dn), serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(2))),
                    new X500Name(dn), keys.getPublic());
            try {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Issuer(keys, sign(b, keys));
        }

        Credentials issue(String dn, KeyPair subject, Instant from, Instant until, String... dnsNames) {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(from), Date.from(until), new X500Name(dn), subject.getPublic());
            try {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                if (dnsNames.length > 0) {
                    GeneralName[] names = new GeneralName[dnsNames.length];
                    for (int i = 0; i < names.length; i++) {
                        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                    }
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Credentials.of(subject.getPrivate(), sign(b, keys), certificate);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
