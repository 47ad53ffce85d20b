package org.dtls4j.examples;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Set;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;
import org.dtls4j.PeerVerification;

/**
 * Raw public keys (RFC 7250), as CoAP's RawPublicKey mode uses them, for providers that declare
 * {@code RAW_PUBLIC_KEY}: each side presents a key pair and trusts the other's public key, no
 * certificates anywhere.
 */
public final class RawPublicKeys {

    private RawPublicKeys() {
    }

    // README: app-rpk
    /**
     * {@return a device's configuration: its own EC P-256 key pair, and the one server key it trusts}
     *
     * @param deviceKeys the device's key pair
     * @param serverPublicKey the server's public key
     */
    public static DtlsConfig device(KeyPair deviceKeys, PublicKey serverPublicKey) {
        return DtlsConfig.builder()
                .credentials(Credentials.rawPublicKey(deviceKeys))
                .trustedRawPublicKeys(serverPublicKey)
                .build();
    }

    /**
     * {@return a server's configuration that requires a key of each device and asks its
     * registry about it (a server does not ask clients for credentials unless told to)}
     *
     * @param serverKeys the server's key pair
     * @param registry the public keys of the devices it serves
     */
    public static DtlsConfig server(KeyPair serverKeys, Set<PublicKey> registry) {
        return DtlsConfig.builder()
                .credentials(Credentials.rawPublicKey(serverKeys))
                .peerVerification(PeerVerification.REQUIRED)
                .rawPublicKeyTrust((key, role) -> registry.contains(key))
                .build();
    }
    // README: end
}
