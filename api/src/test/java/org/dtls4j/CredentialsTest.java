package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    /** Encrypts the test keys; not registered, so the code under test sees the JDK's providers only. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private static TestPki.Issued ca;
    private static TestPki.Issued ecLeaf;
    private static KeyPair rsa;
    private static X509Certificate rsaCertificate;

    @BeforeAll
    static void makeKeys() {
        ca = TestPki.ca("Test CA");
        ecLeaf = TestPki.leaf(ca, "server.example", "server.example");
        rsa = TestPki.sharedRsaKeyPair();
        rsaCertificate = TestPki.selfSigned(rsa, "rsa.example", "SHA256withRSA");
    }

    // ---- the key forms openssl writes ------------------------------------------------

    @Test
    void pkcs8PrivateKeyIsRead() throws Exception {
        Credentials c = Credentials.fromPem(chainPem(ecLeaf.certificate()), pkcs8Pem(ecLeaf.keys()));

        assertThat(c.privateKey().getEncoded()).as("the PKCS#8 key, unchanged")
                .isEqualTo(ecLeaf.keys().getPrivate().getEncoded());
        assertThat(c.keyAlgorithm()).isEqualTo("EC");
        assertThat(c.certificateChain()).containsExactly(ecLeaf.certificate());
    }

    @Test
    void sec1EcPrivateKeyAfterAnEcParametersBlockIsRead() throws Exception {
        // What 'openssl ecparam -name prime256v1 -genkey' writes.
        String keyPem = TestPki.pem("EC PARAMETERS", curveOid(ecLeaf.keys()).getEncoded())
                + TestPki.pem("EC PRIVATE KEY", sec1WithCurve(ecLeaf.keys()));

        Credentials c = Credentials.fromPem(chainPem(ecLeaf.certificate()), keyPem);

        assertSameEcKey(c, ecLeaf.keys());
    }

    @Test
    void sec1EcPrivateKeyAloneIsRead() throws Exception {
        // What 'openssl ec -in KEY' writes: no EC PARAMETERS block.
        Credentials c = Credentials.fromPem(chainPem(ecLeaf.certificate()),
                TestPki.pem("EC PRIVATE KEY", sec1WithCurve(ecLeaf.keys())));

        assertSameEcKey(c, ecLeaf.keys());
    }

    @Test
    void sec1EcPrivateKeyThatNamesNoCurveIsRefusedWithTheConversionCommand() throws Exception {
        // The JDK's own PKCS#8 encoding wraps a SEC 1 key without the optional curve.
        byte[] sec1WithoutCurve = PrivateKeyInfo.getInstance(ecLeaf.keys().getPrivate().getEncoded())
                .parsePrivateKey().toASN1Primitive().getEncoded();
        String keyPem = TestPki.pem("EC PRIVATE KEY", sec1WithoutCurve);

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), keyPem))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("names no curve")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void pkcs1RsaPrivateKeyIsRead() throws Exception {
        String keyPem = TestPki.bcPem(rsa.getPrivate());
        assertThat(keyPem).as("bcpkix writes an RSA key as PKCS#1").contains("-----BEGIN RSA PRIVATE KEY-----");

        Credentials c = Credentials.fromPem(TestPki.bcPem(rsaCertificate), keyPem);

        assertThat(c.keyAlgorithm()).isEqualTo("RSA");
        assertThat(c.privateKey().getEncoded()).as("the PKCS#1 key, rewrapped as PKCS#8")
                .isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void pkcs8RsaPrivateKeyIsRead() throws Exception {
        Credentials c = Credentials.fromPem(chainPem(rsaCertificate), pkcs8Pem(rsa));

        assertThat(c.keyAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void edDsaPrivateKeysOfEitherCurveAreRead() throws Exception {
        for (String curve : List.of("Ed25519", "Ed448")) {
            KeyPair keys = java.security.KeyPairGenerator.getInstance(curve).generateKeyPair();
            X509Certificate cert = TestPki.selfSigned(keys, curve.toLowerCase(java.util.Locale.ROOT) + ".example", curve);

            Credentials c = Credentials.fromPem(chainPem(cert), pkcs8Pem(keys));

            assertThat(c.privateKey().getEncoded()).as("%s PKCS#8 key", curve).isEqualTo(keys.getPrivate().getEncoded());
        }
    }

    @Test
    void crlfLineEndingsAndTextBetweenBlocksAreAccepted() throws Exception {
        String chain = "subject=CN = server.example\r\n"
                + chainPem(ecLeaf.certificate(), ca.certificate()).replace("\n", "\r\n");
        String key = pkcs8Pem(ecLeaf.keys()).replace("\n", "\r\n");

        Credentials c = Credentials.fromPem(chain, key);

        assertThat(c.certificateChain()).containsExactly(ecLeaf.certificate(), ca.certificate());
    }

    // ---- chains ----------------------------------------------------------------------

    @Test
    void chainFileWithSeveralCertificatesKeepsTheirOrder(@TempDir Path dir) throws Exception {
        TestPki.Issued otherCa = TestPki.ca("Other CA");
        Path chain = write(dir, "chain.pem", chainPem(ecLeaf.certificate(), ca.certificate(), otherCa.certificate()));
        Path key = write(dir, "key.pem", pkcs8Pem(ecLeaf.keys()));

        Credentials c = Credentials.fromPem(chain, key);

        assertThat(c.certificateChain()).as("end-entity first, then the file's order")
                .containsExactly(ecLeaf.certificate(), ca.certificate(), otherCa.certificate());
    }

    @Test
    void keyThatDoesNotMatchTheCertificateIsRefusedNamingTheCertificate() {
        KeyPair other = TestPki.ecKeyPair();

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), pkcs8Pem(other)))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("private key does not belong to the certificate CN=server.example")
                .hasMessageContaining("give the key file that was made with that certificate");
    }

    @Test
    void keyOfAnotherAlgorithmThanTheCertificateIsRefused() {
        assertThatThrownBy(() -> Credentials.of(rsa.getPrivate(), ecLeaf.certificate()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("RSA private key does not belong to the certificate CN=server.example");
    }

    @Test
    void keyMatchingOnlyALaterCertificateIsRefused() {
        // The key must belong to the end-entity certificate, the first of the chain.
        assertThatThrownBy(() -> Credentials.of(ca.keys().getPrivate(), ecLeaf.certificate(), ca.certificate()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("does not belong to the certificate CN=server.example");
    }

    @Test
    void emptyChainIsRefused() {
        assertThatThrownBy(() -> Credentials.of(ecLeaf.keys().getPrivate(), List.of()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("at least one certificate");
    }

    @Test
    void chainIsImmutable() {
        Credentials c = Credentials.of(ecLeaf.keys().getPrivate(), ecLeaf.certificate(), ca.certificate());

        assertThatThrownBy(() -> c.certificateChain().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(c.toString()).as("toString names algorithm and subject").contains("EC", "CN=server.example");
    }

    // ---- files and malformed input -----------------------------------------------------

    @Test
    void missingChainFileIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
        Path key = write(dir, "key.pem", pkcs8Pem(ecLeaf.keys()));
        Path missing = dir.resolve("missing-chain.pem");

        assertThatThrownBy(() -> Credentials.fromPem(missing, key))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("cannot read " + missing);
    }

    @Test
    void missingKeyFileIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
        Path chain = write(dir, "chain.pem", chainPem(ecLeaf.certificate()));
        Path missing = dir.resolve("missing-key.pem");

        assertThatThrownBy(() -> Credentials.fromPem(chain, missing))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("cannot read " + missing);
    }

    @Test
    void fileThatIsNotPemIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path chain = write(dir, "chain.pem", chainPem(ecLeaf.certificate()));
        Path garbage = write(dir, "key.der", "this is not a key\n");

        assertThatThrownBy(() -> Credentials.fromPem(chain, garbage))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("is not PEM");
    }

    @Test
    void binaryDerIsRefusedAsNotPem() throws Exception {
        String der = new String(ecLeaf.keys().getPrivate().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), der))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("private key PEM is not PEM");
    }

    @Test
    void keyFileWithoutAKeyBlockIsRefused() throws Exception {
        String chain = chainPem(ecLeaf.certificate());

        assertThatThrownBy(() -> Credentials.fromPem(chain, chain))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("holds no private key block")
                .hasMessageContaining("'PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY'");
    }

    @Test
    void chainFileWithoutACertificateIsRefused() throws Exception {
        String key = pkcs8Pem(ecLeaf.keys());

        assertThatThrownBy(() -> Credentials.fromPem(key, key))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("holds no '-----BEGIN CERTIFICATE-----' block");
    }

    @Test
    void encryptedPkcs8KeyIsRefusedWithTheDecryptCommand() throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(ecLeaf.keys().getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setProvider(BOUNCY_CASTLE).setPassword(PASSWORD).build()));
        }
        assertThat(out.toString()).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), out.toString()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("encrypted private key")
                .hasMessageContaining("openssl pkcs8");
    }

    @Test
    void legacyEncryptedKeyIsRefusedNamingTheEncryption() throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(rsa.getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BOUNCY_CASTLE).build(PASSWORD));
        }
        assertThat(out.toString()).contains("Proc-Type: 4,ENCRYPTED");

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(rsaCertificate), out.toString()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'RSA PRIVATE KEY' block with headers (legacy encryption)");
    }

    @Test
    void invalidBase64IsRefused() {
        String pem = "-----BEGIN PRIVATE KEY-----\nA\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), pem))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'PRIVATE KEY' block that is not valid base64");
    }

    @Test
    void pkcs8BlockWithGarbageInsideIsRefused() {
        String pem = TestPki.pem("PRIVATE KEY", "definitely not DER".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), pem))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("holds a private key the JDK cannot read");
    }

    @Test
    void truncatedSec1KeyIsRefusedAsMalformed() {
        byte[] sec1 = sec1WithCurve(ecLeaf.keys());
        for (int length : new int[] {0, 1, 2, 7, sec1.length / 2, sec1.length - 1}) {
            String pem = TestPki.pem("EC PRIVATE KEY", Arrays.copyOf(sec1, length));

            assertThatThrownBy(() -> Credentials.fromPem(chainPem(ecLeaf.certificate()), pem))
                    .as("SEC 1 key cut to %d of %d bytes", length, sec1.length)
                    .isInstanceOf(DtlsConfigurationException.class)
                    .hasMessageContaining("EC PRIVATE KEY");
        }
    }

    @Test
    void malformedCertificateIsRefused() throws Exception {
        String pem = TestPki.pem("CERTIFICATE", Arrays.copyOf(ecLeaf.certificate().getEncoded(), 40));

        assertThatThrownBy(() -> Credentials.fromPem(pem, pkcs8Pem(ecLeaf.keys())))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("certificate chain PEM holds a malformed certificate");
    }

    // ---- key stores --------------------------------------------------------------------

    @Test
    void pkcs12EntryIsRead() throws Exception {
        KeyStore store = pkcs12();

        Credentials c = Credentials.fromKeyStore(store, "server", PASSWORD);

        assertThat(c.privateKey().getEncoded()).isEqualTo(ecLeaf.keys().getPrivate().getEncoded());
        assertThat(c.certificateChain()).containsExactly(ecLeaf.certificate(), ca.certificate());
    }

    @Test
    void missingAliasIsRefusedListingTheAliases() throws Exception {
        KeyStore store = pkcs12();

        assertThatThrownBy(() -> Credentials.fromKeyStore(store, "sever", PASSWORD))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no entry 'sever'")
                .hasMessageContaining("server")
                .hasMessageContaining("anchor");
    }

    @Test
    void wrongPasswordIsRefusedAskingAboutThePassword() throws Exception {
        KeyStore store = pkcs12();

        assertThatThrownBy(() -> Credentials.fromKeyStore(store, "server", "wrong".toCharArray()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("cannot read key store entry 'server'")
                .hasMessageContaining("is the password right?");
    }

    @Test
    void certificateOnlyEntryIsRefusedAsHoldingNoPrivateKey() throws Exception {
        KeyStore store = pkcs12();

        assertThatThrownBy(() -> Credentials.fromKeyStore(store, "anchor", PASSWORD))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'anchor' holds no private key");
    }

    // ---- helpers -----------------------------------------------------------------------

    /** A PKCS#12 store written to bytes and read back, as a file on disk would be. */
    private static KeyStore pkcs12() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", ecLeaf.keys().getPrivate(), PASSWORD,
                new Certificate[] {ecLeaf.certificate(), ca.certificate()});
        store.setCertificateEntry("anchor", ca.certificate());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, PASSWORD);
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        loaded.load(new ByteArrayInputStream(bytes.toByteArray()), PASSWORD);
        return loaded;
    }

    private static String chainPem(X509Certificate... chain) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : chain) {
            sb.append(TestPki.pem("CERTIFICATE", c.getEncoded()));
        }
        return sb.toString();
    }

    private static String pkcs8Pem(KeyPair keys) {
        return TestPki.pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    private static ASN1ObjectIdentifier curveOid(KeyPair keys) {
        return ASN1ObjectIdentifier.getInstance(
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getAlgorithm().getParameters());
    }

    /** SEC 1 ECPrivateKey with the curve and the public key, as openssl writes it. */
    private static byte[] sec1WithCurve(KeyPair keys) {
        try {
            byte[] point = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes();
            return new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) keys.getPrivate()).getS(),
                    new DERBitString(point), curveOid(keys)).getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertSameEcKey(Credentials c, KeyPair expected) {
        assertThat(c.keyAlgorithm()).isEqualTo("EC");
        assertThat(((ECPrivateKey) c.privateKey()).getS()).as("private scalar")
                .isEqualTo(((ECPrivateKey) expected.getPrivate()).getS());
        assertThat(((ECPrivateKey) c.privateKey()).getParams().getCurve()).as("curve")
                .isEqualTo(((ECPrivateKey) expected.getPrivate()).getParams().getCurve());
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void rawPublicKeyCredentialsHoldTheKeyPairAndNoCertificate() {
        java.security.KeyPair keys = TestPki.ecKeyPair();
        Credentials raw = Credentials.rawPublicKey(keys);

        assertThat(raw.isRawPublicKey()).isTrue();
        assertThat(raw.publicKey()).isEqualTo(keys.getPublic());
        assertThat(raw.certificateChain()).as("no certificate").isEmpty();
        assertThat(raw.keyAlgorithm()).isEqualTo("EC");
        assertThat(raw.toString()).contains("raw public key");
    }

    @Test
    void rawPublicKeyCredentialsWhoseKeysDoNotMatchAreRefused() {
        assertThatThrownBy(() -> Credentials.rawPublicKey(TestPki.ecKeyPair().getPrivate(), TestPki.ecKeyPair().getPublic()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("EC private key does not belong to the EC public key")
                .hasMessageContaining("give the private key of that key pair");
    }
}
