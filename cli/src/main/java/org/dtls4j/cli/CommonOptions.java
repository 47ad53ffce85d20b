package org.dtls4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.dtls4j.Credentials;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.PeerVerification;
import org.dtls4j.PreSharedKey;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import picocli.CommandLine.Option;

/** The options {@code server} and {@code client} share: provider, credentials, trust, PSK, MTU. */
final class CommonOptions {

    @Option(names = "--provider", description = "Provider name (default: -Ddtls4j.provider, DTLS4J_PROVIDER, or the best available).")
    String provider;

    @Option(names = "--cert", description = "PEM certificate chain file.")
    Path cert;

    @Option(names = "--key", description = "PEM private key file (PKCS#8, EC or RSA).")
    Path key;

    @Option(names = "--ca", description = "PEM file of trusted CA certificates.")
    Path ca;

    @Option(names = "--psk", description = "Pre-shared key as IDENTITY:HEX.")
    String psk;

    @Option(names = "--verify", description = "Peer verification: none, optional or required.")
    PeerVerification verify;

    @Option(names = "--mtu", description = "Largest datagram to send, in bytes (default ${DEFAULT-VALUE}).")
    int mtu = 1400;

    @Option(names = "--handshake-timeout", description = "Seconds a handshake may take (default ${DEFAULT-VALUE}).")
    int handshakeSeconds = 15;

    DtlsProvider provider() {
        return provider == null ? Dtls.defaultProvider() : Dtls.provider(provider);
    }

    /** A config for {@code server} (credentials required unless PSK) or a client. */
    DtlsConfig config(boolean server) {
        DtlsConfig.Builder b = DtlsConfig.builder().maxDatagramSize(mtu)
                .retransmission(Duration.ofMillis(500), Duration.ofSeconds(5))
                .handshakeTimeout(Duration.ofSeconds(handshakeSeconds));
        if ((cert == null) != (key == null)) {
            throw new DtlsConfigurationException("--cert and --key go together; give both or neither");
        }
        if (cert != null) {
            requireReadable(cert, "--cert");
            requireReadable(key, "--key");
            b.credentials(Credentials.fromPem(cert, key));
        } else if (server && psk == null) {
            System.err.println("dtls4j: no --cert/--key given: using ephemeral self-signed ECDSA P-256 credentials");
            b.credentials(TckPki.get().ecServer());
        }
        if (ca != null) {
            requireReadable(ca, "--ca");
            b.trustedCertificates(ca);
        }
        if (psk != null) {
            int colon = psk.indexOf(':');
            if (colon <= 0) {
                throw new DtlsConfigurationException("--psk takes IDENTITY:HEX, e.g. --psk client1:00112233445566778899aabbccddeeff");
            }
            PreSharedKey k = PreSharedKey.ofHex(psk.substring(0, colon), psk.substring(colon + 1));
            if (server) {
                b.pskKeyStore(id -> java.util.Arrays.equals(id, k.identity())
                        ? java.util.Optional.of(k.key()) : java.util.Optional.empty());
            } else {
                b.preSharedKey(k);
            }
        }
        if (verify != null) {
            b.peerVerification(verify);
        }
        return b.build();
    }

    private static void requireReadable(Path p, String option) {
        if (!Files.isReadable(p)) {
            throw new DtlsConfigurationException(option + " " + p + ": no such readable file");
        }
    }
}
