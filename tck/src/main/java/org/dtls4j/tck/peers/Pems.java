package org.dtls4j.tck.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.dtls4j.Credentials;
import org.dtls4j.tck.TckPki;

/**
 * Writes credentials as the PEM files the openssl and gnutls commands read. Stateless.
 *
 * @since 0.1
 */
public final class Pems {

    private Pems() {
    }

    /**
     * The TCK's credentials as PEM files in one directory: the CA, the ECDSA and RSA servers'
     * chains and keys (PKCS#8), and the ECDSA client's.
     *
     * @since 0.1
     */
    public record TckFiles(Path ca, Path serverCert, Path serverKey, Path rsaCert, Path rsaKey, Path clientCert,
                           Path clientKey) {
    }

    /**
     * Writes {@link TckPki#get()}'s credentials to {@code dir} as {@link TckFiles}.
     *
     * @param dir the directory to write to
     * @return the paths of the files written
     * @throws IOException if a file cannot be written
     */
    public static TckFiles tckFiles(Path dir) throws IOException {
        TckPki pki = TckPki.get();
        return new TckFiles(certificates(dir, "ca.pem", List.of(pki.caCertificate())),
                certificates(dir, "server.pem", pki.ecServer().certificateChain()), key(dir, "server.key", pki.ecServer()),
                certificates(dir, "rsa.pem", pki.rsaServer().certificateChain()), key(dir, "rsa.key", pki.rsaServer()),
                certificates(dir, "client.pem", pki.ecClient().certificateChain()), key(dir, "client.key", pki.ecClient()));
    }

    /**
     * Writes {@code chain} as {@code CERTIFICATE} blocks, in order, to {@code dir/name}.
     *
     * @param dir the directory to write to
     * @param name the file name
     * @param chain the certificates, end-entity first
     * @return the path of the file written
     * @throws IOException if the file cannot be written
     */
    public static Path certificates(Path dir, String name, Iterable<X509Certificate> chain) throws IOException {
        StringBuilder sb = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                sb.append(block("CERTIFICATE", c.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        return Files.writeString(dir.resolve(name), sb, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the private key as PKCS#8 {@code PRIVATE KEY} to {@code dir/name}.
     *
     * @param dir the directory to write to
     * @param name the file name
     * @param credentials the credentials whose private key is written
     * @return the path of the file written
     * @throws IOException if the file cannot be written
     */
    public static Path key(Path dir, String name, Credentials credentials) throws IOException {
        return Files.writeString(dir.resolve(name), block("PRIVATE KEY", credentials.privateKey().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    /**
     * An EC private key as SEC 1 {@code EC PRIVATE KEY} with its curve and public key, which
     * GnuTLS needs (it refuses the PKCS#8 form Java writes, which carries neither).
     *
     * @param dir the directory to write to
     * @param name the file name
     * @param credentials EC credentials whose private key is written
     * @return the path of the file written
     * @throws IOException if the file cannot be written
     */
    public static Path ecKeyWithPublicKey(Path dir, String name, Credentials credentials) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(credentials.privateKey().getEncoded());
        ECPrivateKey bare = ECPrivateKey.getInstance(info.parsePrivateKey());
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(credentials.publicKey().getEncoded());
        ECPrivateKey full = new ECPrivateKey(256, bare.getKey(), publicKey.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        return Files.writeString(dir.resolve(name), block("EC PRIVATE KEY", full.getEncoded()), StandardCharsets.US_ASCII);
    }

    /**
     * A public key as {@code PUBLIC KEY} (SubjectPublicKeyInfo): a raw public key file.
     *
     * @param dir the directory to write to
     * @param name the file name
     * @param credentials the credentials whose public key is written
     * @return the path of the file written
     * @throws IOException if the file cannot be written
     */
    public static Path publicKey(Path dir, String name, Credentials credentials) throws IOException {
        return Files.writeString(dir.resolve(name), block("PUBLIC KEY", credentials.publicKey().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
