package org.dtls4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A private key and the certificate chain that goes with it: what
 * {@code SSL_CTX_use_certificate_chain_file} and {@code SSL_CTX_use_PrivateKey_file} load.
 * Or, for raw public key authentication (RFC 7250), a key pair alone
 * ({@link #rawPublicKey(PrivateKey, PublicKey)}).
 *
 * <p>Every factory checks that the private key belongs to the public key it is given with,
 * so a mismatched pair fails here instead of in a handshake. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Credentials {

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    /** The public key of raw public key credentials; null for certificate credentials. */
    private final PublicKey rawPublicKey;

    private Credentials(PrivateKey privateKey, List<X509Certificate> chain, PublicKey rawPublicKey) {
        this.privateKey = privateKey;
        this.chain = chain;
        this.rawPublicKey = rawPublicKey;
    }

    /**
     * {@return credentials for raw public key authentication (RFC 7250): the peer is sent the public
     * key alone, no certificate, and must trust that key itself
     * ({@link DtlsConfig.Builder#trustedRawPublicKeys})} Needs {@link Capability#RAW_PUBLIC_KEY}.
     *
     * @param privateKey the private key this side signs with
     * @param publicKey its public key, which the peer is shown
     * @throws DtlsConfigurationException if the private key does not belong to the public key
     */
    public static Credentials rawPublicKey(PrivateKey privateKey, PublicKey publicKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        requireMatch(privateKey, publicKey, "the " + publicKey.getAlgorithm() + " public key",
                "give the private key of that key pair");
        return new Credentials(privateKey, List.of(), publicKey);
    }

    /**
     * {@return raw public key credentials from a key pair; see {@link #rawPublicKey(PrivateKey, PublicKey)}}
     *
     * @param keys the key pair this side authenticates with
     */
    public static Credentials rawPublicKey(KeyPair keys) {
        return rawPublicKey(keys.getPrivate(), keys.getPublic());
    }

    /**
     * {@return credentials from key and chain objects}
     *
     * @param chain end-entity certificate first, then its issuers
     * @param privateKey the private key of the end-entity certificate
     * @throws DtlsConfigurationException if the chain is empty or does not match the key
     */
    public static Credentials of(PrivateKey privateKey, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> copy = List.copyOf(chain);
        if (copy.isEmpty()) {
            throw new DtlsConfigurationException("credentials need at least one certificate");
        }
        X509Certificate leaf = copy.get(0);
        requireMatch(privateKey, leaf.getPublicKey(), "the certificate " + leaf.getSubjectX500Principal().getName(),
                "give the key file that was made with that certificate");
        return new Credentials(privateKey, copy, null);
    }

    /**
     * {@return credentials from key and chain objects}
     *
     * @param privateKey the private key of the end-entity certificate
     * @param chain end-entity certificate first, then its issuers
     */
    public static Credentials of(PrivateKey privateKey, X509Certificate... chain) {
        return of(privateKey, List.of(chain));
    }

    /**
     * {@return credentials from PEM files, as {@code openssl} writes them: a chain file of
     * {@code CERTIFICATE} blocks (end-entity first) and a key file holding
     * {@code PRIVATE KEY} (PKCS#8), {@code EC PRIVATE KEY} (SEC 1) or
     * {@code RSA PRIVATE KEY} (PKCS#1)}
     *
     * @param certificateChainFile the PEM file of the certificate chain, end-entity first
     * @param privateKeyFile the PEM file of the private key
     * @throws DtlsConfigurationException if a file is missing, unreadable or malformed, or
     *         the key does not match the chain; the message names the file
     */
    public static Credentials fromPem(Path certificateChainFile, Path privateKeyFile) {
        List<X509Certificate> chain = Pem.certificates(read(certificateChainFile), certificateChainFile.toString());
        PrivateKey key = Pem.privateKey(read(privateKeyFile), privateKeyFile.toString());
        return of(key, chain);
    }

    /**
     * {@return credentials from PEM text; see {@link #fromPem(Path, Path)} for the forms accepted}
     *
     * @param certificateChainPem PEM text of the certificate chain, end-entity first
     * @param privateKeyPem PEM text of the private key
     */
    public static Credentials fromPem(String certificateChainPem, String privateKeyPem) {
        return of(Pem.privateKey(privateKeyPem, "private key PEM"),
                Pem.certificates(certificateChainPem, "certificate chain PEM"));
    }

    /**
     * {@return credentials from a {@link KeyStore} entry (PKCS#12, JKS, ...)}
     *
     * @param keyStore a loaded key store
     * @param alias the alias of a private key entry
     * @param password the entry's password
     * @throws DtlsConfigurationException if the alias is missing, is not a private key
     *         entry, or the password is wrong
     */
    public static Credentials fromKeyStore(KeyStore keyStore, String alias, char[] password) {
        try {
            if (!keyStore.containsAlias(alias)) {
                throw new DtlsConfigurationException("key store has no entry '" + alias
                        + "'; its aliases are " + java.util.Collections.list(keyStore.aliases()));
            }
            Key key = keyStore.getKey(alias, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new DtlsConfigurationException("key store entry '" + alias
                        + "' holds no private key; use a private key entry");
            }
            Certificate[] certs = keyStore.getCertificateChain(alias);
            if (certs == null || certs.length == 0) {
                throw new DtlsConfigurationException("key store entry '" + alias + "' has no certificate chain");
            }
            List<X509Certificate> chain = new ArrayList<>(certs.length);
            for (Certificate c : certs) {
                chain.add((X509Certificate) c);
            }
            return of(privateKey, chain);
        } catch (GeneralSecurityException e) {
            throw new DtlsConfigurationException("cannot read key store entry '" + alias
                    + "': " + e.getMessage() + " (is the password right?)", e);
        }
    }

    /** {@return the private key} */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** {@return the chain, end-entity certificate first; empty for raw public key credentials} */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** {@return whether these are raw public key credentials (RFC 7250), with no certificate} */
    public boolean isRawPublicKey() {
        return rawPublicKey != null;
    }

    /** {@return the public key the peer is shown: the raw key, or the end-entity certificate's} */
    public PublicKey publicKey() {
        return rawPublicKey != null ? rawPublicKey : chain.get(0).getPublicKey();
    }

    /** {@return the key algorithm, {@code "EC"} or {@code "RSA"} (or what the key says)} */
    public String keyAlgorithm() {
        return privateKey.getAlgorithm();
    }

    @Override
    public String toString() {
        return "Credentials[" + keyAlgorithm() + ", "
                + (rawPublicKey != null ? "raw public key" : chain.get(0).getSubjectX500Principal().getName()) + "]";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new DtlsConfigurationException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * @param what the public key's owner, for the message: "the certificate CN=..."
     * @param fix what to do about a mismatch
     */
    private static void requireMatch(PrivateKey key, PublicKey pub, String what, String fix) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA"; // "EdDSA" signs with either curve
            default -> null;
        };
        if (!key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
            throw mismatch(key, what, fix);
        }
        if (alg == null) {
            return; // an algorithm we cannot test-sign with; the handshake will tell
        }
        try {
            byte[] probe = "dtls4j key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            if (!v.verify(sig)) {
                throw mismatch(key, what, fix);
            }
        } catch (GeneralSecurityException e) {
            throw new DtlsConfigurationException("cannot use the " + key.getAlgorithm()
                    + " private key with " + what + ": " + e.getMessage(), e);
        }
    }

    private static DtlsConfigurationException mismatch(PrivateKey key, String what, String fix) {
        return new DtlsConfigurationException("the " + key.getAlgorithm() + " private key does not belong to " + what
                + "; " + fix);
    }
}
