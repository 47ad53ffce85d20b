package org.dtls4j;

import java.security.PublicKey;

/**
 * An application's decision on a peer's raw public key (RFC 7250) that is not among
 * {@link DtlsConfig#trustedRawPublicKeys()}: a device registry of a CoAP or LwM2M server
 * that knows too many keys to list, say.
 *
 * <p>It is called during the handshake. Implementations must be thread-safe (a context
 * calls it for all its sessions, possibly at once, on the transport's or the provider's
 * threads) and should not block for long. Returning false, or throwing, refuses the key:
 * the handshake fails with {@code bad_certificate} on both sides.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RawPublicKeyTrust {

    /**
     * {@return whether to accept {@code peerKey} from the peer of a session of {@code localRole}}
     *
     * @param peerKey the key the peer authenticated with
     * @param localRole the role of the session asking
     */
    boolean trusts(PublicKey peerKey, DtlsRole localRole);
}
