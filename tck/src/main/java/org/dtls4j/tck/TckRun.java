package org.dtls4j.tck;

import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.DtlsProvider;

/**
 * One run of one contract test: the test's name (from JUnit), the protocol version the run
 * speaks, and the providers at each end. The TCK hands one to every contract test as a
 * parameter; its configurations ({@code Tck.client(run)} and the like) name that version.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TckRun {

    private final String name;
    private final ProtocolVersion version;
    private final DtlsProvider clientProvider;
    private final DtlsProvider serverProvider;

    TckRun(String name, ProtocolVersion version, DtlsProvider clientProvider, DtlsProvider serverProvider) {
        this.name = name;
        this.version = version;
        this.clientProvider = clientProvider;
        this.serverProvider = serverProvider;
    }

    /** {@return the test's method name, as JUnit reports it; what its seed derives from} */
    public String name() {
        return name;
    }

    /** {@return the protocol version both ends are configured for in this run} */
    public ProtocolVersion version() {
        return version;
    }

    /** {@return the provider whose sessions play the client} */
    public DtlsProvider clientProvider() {
        return clientProvider;
    }

    /** {@return the provider whose sessions play the server} */
    public DtlsProvider serverProvider() {
        return serverProvider;
    }

    /**
     * {@return the seed of this test's randomness, printed: {@code -Ddtls4j.tck.seed=N} or a stable
     * hash of the test's name}
     */
    public long seed() {
        Long forced = Long.getLong(Tck.SEED_PROPERTY);
        long seed = forced != null ? forced : name.hashCode() & 0xffffffffL;
        System.out.println("[dtls4j-tck] " + name + " " + version.standardName() + " seed=" + seed);
        return seed;
    }

    @Override
    public String toString() {
        return name + " [" + TckRuns.describe(clientProvider, serverProvider, version) + "]";
    }
}
