package org.dtls4j;

import java.util.Optional;

/**
 * How a server finds the key for a PSK identity a client presents.
 *
 * <p>Must be thread-safe; it is called during handshakes, possibly many at once.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PskKeyStore {

    /**
     * {@return the key for {@code identity}, or empty if the identity is unknown (the handshake
     * then fails with {@code unknown_psk_identity})}
     *
     * @param identity the identity the client presented
     */
    Optional<byte[]> keyFor(byte[] identity);
}
