package org.dtls4j.bouncycastle;

import org.bouncycastle.tls.CertificateType;
import org.dtls4j.DtlsConfig;
import org.dtls4j.spi.ConfigFacts;

/**
 * The certificate types of RFC 7250 from a {@link DtlsConfig}, as BouncyCastle's
 * {@code getAllowed...CertificateTypes} want them: null means X.509 alone, and then the
 * extensions are not sent. Stateless.
 */
final class CertificateTypes {

    private static final short[] RAW_PUBLIC_KEY = {CertificateType.RawPublicKey};
    private static final short[] RAW_PUBLIC_KEY_THEN_X509 = {CertificateType.RawPublicKey, CertificateType.X509};

    private CertificateTypes() {
    }

    /**
     * What this side accepts from its peer: raw public keys when it trusts some (listed or
     * by a {@code RawPublicKeyTrust}), and X.509 too if it also names trust anchors (a
     * config that trusts raw keys alone does not fall back to the JDK's trust store).
     */
    static short[] acceptedFromPeer(DtlsConfig config) {
        if (!ConfigFacts.acceptsRawPublicKeys(config)) {
            return null;
        }
        return (config.trustedCertificates().isEmpty() ? RAW_PUBLIC_KEY : RAW_PUBLIC_KEY_THEN_X509).clone();
    }

    /**
     * What a client presents: a raw public key for raw public key credentials. (A server
     * presents the type of its credentials' certificate; BouncyCastle reads it there.)
     */
    static short[] own(LocalCredentials credentials) {
        return credentials != null && credentials.isRawPublicKey() ? RAW_PUBLIC_KEY.clone() : null;
    }
}
