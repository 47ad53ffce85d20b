package org.dtls4j;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A PSK identity and its key (RFC 4279), as a client presents it.
 *
 * <p>Immutable and thread-safe; the key is copied in and out.
 *
 * @since 0.1
 */
public final class PreSharedKey {

    private final byte[] identity;
    private final byte[] key;

    private PreSharedKey(byte[] identity, byte[] key) {
        if (identity.length == 0 || identity.length > 65535) {
            throw new DtlsConfigurationException("a PSK identity must be 1 to 65535 bytes long");
        }
        if (key.length == 0 || key.length > 65535) {
            throw new DtlsConfigurationException("a PSK must be 1 to 65535 bytes long");
        }
        this.identity = identity.clone();
        this.key = key.clone();
    }

    /**
     * {@return a PSK from raw bytes}
     *
     * @param identity the identity the client presents; copied
     * @param key the secret key; copied
     */
    public static PreSharedKey of(byte[] identity, byte[] key) {
        return new PreSharedKey(identity, key);
    }

    /**
     * {@return a PSK with a UTF-8 identity and a hex key, the way {@code openssl s_client -psk} takes it}
     *
     * @param identity the identity, encoded as UTF-8
     * @param hexKey the key in hexadecimal
     */
    public static PreSharedKey ofHex(String identity, String hexKey) {
        try {
            return new PreSharedKey(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    HexFormat.of().parseHex(hexKey));
        } catch (IllegalArgumentException e) {
            throw new DtlsConfigurationException("PSK key '" + hexKey + "' is not hex", e);
        }
    }

    /** {@return a copy of the identity} */
    public byte[] identity() {
        return identity.clone();
    }

    /** {@return a copy of the secret key} */
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "PreSharedKey[identity=" + new String(identity, java.nio.charset.StandardCharsets.UTF_8) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreSharedKey p && Arrays.equals(identity, p.identity) && Arrays.equals(key, p.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identity);
    }
}
