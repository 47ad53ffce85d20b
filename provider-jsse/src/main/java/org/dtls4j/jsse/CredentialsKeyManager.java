package org.dtls4j.jsse;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.dtls4j.Credentials;

/**
 * Offers the context's one key and chain to JSSE whenever the key type fits.
 *
 * <p>Not a {@code KeyManagerFactory} over a key store on purpose: the JDK's key managers
 * drop a client chain whose issuer is not among the server's certificate_authorities,
 * so a client would silently send no certificate where the other backends send theirs
 * and let the server's validation decide. Here the chain is always presented, and the
 * peer's validation answers the same way on every backend.
 *
 * <p>Immutable and thread-safe.
 */
final class CredentialsKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "dtls4j";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    CredentialsKeyManager(Credentials credentials) {
        this.key = credentials.privateKey();
        this.chain = credentials.certificateChain().toArray(new X509Certificate[0]);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (fits(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    /**
     * JSSE asks by key algorithm ({@code "EC"}, {@code "RSA"}, {@code "EdDSA"}...), and
     * for the legacy static-ECDH suites by {@code "EC_EC"}/{@code "EC_RSA"}, which we do
     * not serve.
     */
    private boolean fits(String keyType) {
        if (keyType == null) {
            return false;
        }
        String algorithm = key.getAlgorithm();
        if (keyType.equalsIgnoreCase(algorithm)) {
            return true;
        }
        return (keyType.equals("EdDSA") || keyType.equals("Ed25519")) && algorithm.startsWith("Ed");
    }
}
