package org.dtls4j.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.dtls4j.Capability;
import org.dtls4j.CookieAuthority;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.SharedKeys;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import picocli.CommandLine.Option;

/**
 * What {@code dtls4j server} needs to run as one node of several behind a UDP balancer: I/O
 * threads, the shared key file, and a stats line per interval. Not thread-safe (picocli fills it once).
 */
final class NodeOptions {

    @Option(names = "--io-threads", description = "I/O threads, each with its own socket on the port (SO_REUSEPORT on Linux;"
            + " default ${DEFAULT-VALUE}).")
    int ioThreads = 1;

    @Option(names = "--keys", paramLabel = "FILE", description = "Shared key file (make one with 'dtls4j keys --out FILE'):"
            + " cookies and session tickets that every node with the same file accepts.")
    Path keys;

    @Option(names = "--key-rotation", paramLabel = "SECONDS", description = "Rotation period of the shared keys, the same on"
            + " every node (default ${DEFAULT-VALUE}); a ticket resumes for one to two periods.")
    long rotationSeconds = SharedKeys.DEFAULT_ROTATION.toSeconds();

    @Option(names = "--stats-interval", paramLabel = "SECONDS", description = "Print one stats line every SECONDS"
            + " (default 0: only at exit).")
    long statsSeconds;

    /** The transport options these flags ask for. */
    TransportOptions transport() {
        if (ioThreads < 1) {
            throw new DtlsConfigurationException("--io-threads must be at least 1, was " + ioThreads);
        }
        if (statsSeconds < 0) {
            throw new DtlsConfigurationException("--stats-interval must be 0 (off) or a number of seconds, was " + statsSeconds);
        }
        return TransportOptions.builder().ioThreads(ioThreads).build();
    }

    /**
     * Adds the shared keys to a server's configuration: cookies always; tickets when
     * {@code provider} declares {@link Capability#SHARED_SESSION_TICKETS}, else one line on
     * standard error says they are not shared.
     */
    DtlsConfig.Builder apply(DtlsConfig.Builder config, DtlsProvider provider) {
        Optional<SharedKeys> shared = sharedKeys();
        if (shared.isEmpty()) {
            return config;
        }
        SharedKeys k = shared.get();
        config.cookieAuthority(CookieAuthority.hmacSha256(k));
        if (provider.capabilities().contains(Capability.SHARED_SESSION_TICKETS)) {
            config.sessionTicketKeys(k);
        } else {
            System.err.println("dtls4j: provider '" + provider.name() + "' does not declare SHARED_SESSION_TICKETS:"
                    + " --keys shares the cookies only; session tickets are not shared, so a client that moves to"
                    + " another node makes a full handshake");
        }
        return config;
    }

    private Optional<SharedKeys> sharedKeys() {
        if (keys == null) {
            return Optional.empty();
        }
        if (rotationSeconds < 1) {
            throw new DtlsConfigurationException("--key-rotation must be at least 1 second, was " + rotationSeconds);
        }
        return Optional.of(SharedKeys.read(keys).withRotation(java.time.Duration.ofSeconds(rotationSeconds)));
    }
}
