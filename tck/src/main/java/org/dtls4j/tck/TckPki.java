package org.dtls4j.tck;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;

/**
 * Certificates the TCK makes at run time: a test CA, ECDSA P-256, RSA-2048 and Ed25519 server
 * credentials, client credentials, an expired certificate, and a certificate from a CA
 * nobody trusts. Made once per JVM (RSA key generation is slow) and shared.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class TckPki {

    /** The host name in every server certificate's subjectAltName. */
    public static final String SERVER_NAME = "server.dtls4j.test";

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final Issuer ca;
    private final Issuer rogueCa;
    private final Credentials ecServer;
    private final Credentials rsaServer;
    private final Credentials ed25519Server;
    private final Credentials ecClient;
    private final Credentials expiredServer;
    private final Credentials untrustedServer;
    private final Credentials rawServer;
    private final Credentials rawClient;
    private final Credentials rawStranger;

    private TckPki() throws GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        ca = Issuer.selfSigned("CN=dtls4j TCK CA", ec(), now);
        rogueCa = Issuer.selfSigned("CN=dtls4j TCK rogue CA", ec(), now);
        ecServer = ca.issue("CN=" + SERVER_NAME, ec(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
        rsaServer = ca.issue("CN=" + SERVER_NAME, rsa(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
        ed25519Server = ca.issue("CN=" + SERVER_NAME, ed25519(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
        ecClient = ca.issue("CN=client.dtls4j.test", ec(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), false);
        expiredServer = ca.issue("CN=" + SERVER_NAME, ec(), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), true);
        untrustedServer = rogueCa.issue("CN=" + SERVER_NAME, ec(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
        rawServer = Credentials.rawPublicKey(ec());
        rawClient = Credentials.rawPublicKey(ec());
        rawStranger = Credentials.rawPublicKey(ec());
    }

    /** {@return the shared instance} */
    public static TckPki get() {
        return Holder.INSTANCE;
    }

    /**
     * {@return a client configuration for a provider's own tests: it trusts this CA, and its
     * retransmission timers are short (50 ms, doubling to 400 ms)}
     */
    public DtlsConfig.Builder clientConfig() {
        return DtlsConfig.builder().retransmission(Duration.ofMillis(50), Duration.ofMillis(400))
                .trustedCertificates(caCertificate());
    }

    /**
     * {@return the server side of {@link #clientConfig()}: the ECDSA P-256 server credentials, the same timers}
     */
    public DtlsConfig.Builder serverConfig() {
        return DtlsConfig.builder().retransmission(Duration.ofMillis(50), Duration.ofMillis(400))
                .credentials(ecServer());
    }

    /** {@return the CA every good certificate chains to; trust it} */
    public X509Certificate caCertificate() {
        return ca.certificate;
    }

    /** {@return ECDSA P-256 server credentials issued by the CA} */
    public Credentials ecServer() {
        return ecServer;
    }

    /** {@return RSA-2048 server credentials issued by the CA} */
    public Credentials rsaServer() {
        return rsaServer;
    }

    /**
     * {@return Ed25519 server credentials issued by the CA (RFC 8422 EdDSA, with the ECDSA suites)}
     */
    public Credentials ed25519Server() {
        return ed25519Server;
    }

    /** {@return ECDSA P-256 client credentials issued by the CA} */
    public Credentials ecClient() {
        return ecClient;
    }

    /** {@return server credentials whose certificate expired yesterday} */
    public Credentials expiredServer() {
        return expiredServer;
    }

    /** {@return server credentials from a CA that is not trusted} */
    public Credentials untrustedServer() {
        return untrustedServer;
    }

    /**
     * {@return ECDSA P-256 raw public key credentials (RFC 7250) for a server; trust its {@code publicKey()}}
     */
    public Credentials rawServer() {
        return rawServer;
    }

    /** {@return ECDSA P-256 raw public key credentials for a client} */
    public Credentials rawClient() {
        return rawClient;
    }

    /** {@return ECDSA P-256 raw public key credentials whose key nobody trusts} */
    public Credentials rawStranger() {
        return rawStranger;
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair ed25519() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static final class Issuer {
        final X500Name name;
        final PrivateKey key;
        final X509Certificate certificate;

        private Issuer(X500Name name, PrivateKey key, X509Certificate certificate) {
            this.name = name;
            this.key = key;
            this.certificate = certificate;
        }

        static Issuer selfSigned(String dn, KeyPair keys, Instant now)
                throws GeneralSecurityException, OperatorCreationException {
            X500Name name = new X500Name(dn);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofDays(30))), Date.from(now.plus(Duration.ofDays(3650))),
                    name, keys.getPublic());
            try {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } catch (org.bouncycastle.cert.CertIOException e) {
                throw new GeneralSecurityException(e);
            }
            X509Certificate cert = sign(b, keys.getPrivate());
            return new Issuer(name, keys.getPrivate(), cert);
        }

        Credentials issue(String dn, KeyPair keys, Instant notBefore, Instant notAfter, boolean server)
                throws GeneralSecurityException, OperatorCreationException {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name(dn), keys.getPublic());
            try {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                if (server) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, SERVER_NAME)));
                }
            } catch (org.bouncycastle.cert.CertIOException e) {
                throw new GeneralSecurityException(e);
            }
            X509Certificate cert = sign(b, key);
            return Credentials.of(keys.getPrivate(), List.of(cert, certificate));
        }

        private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
                throws GeneralSecurityException, OperatorCreationException {
            String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        }

        private static BigInteger serial() {
            return BigInteger.valueOf(System.currentTimeMillis()).shiftLeft(16).add(BigInteger.valueOf(SERIAL.getAndIncrement()));
        }
    }

    private static final class Holder {
        static final TckPki INSTANCE = create();

        private static TckPki create() {
            try {
                return new TckPki();
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot make the TCK's test certificates", e);
            }
        }
    }
}
