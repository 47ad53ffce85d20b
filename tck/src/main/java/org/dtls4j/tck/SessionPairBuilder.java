package org.dtls4j.tck;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Predicate;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.net.InMemoryLink;
import org.dtls4j.tck.net.NetworkConditions;

/**
 * Builds a {@link SessionPair}. Not thread-safe.
 *
 * @since 0.1
 */
public final class SessionPairBuilder {
    final DtlsProvider clientProvider;
    final DtlsProvider serverProvider;
    DtlsConfig clientConfig;
    DtlsConfig serverConfig;
    DtlsContext clientContext;
    DtlsContext serverContext;
    NetworkConditions conditions = NetworkConditions.CLEAN;
    long seed = 1;
    Predicate<byte[]> serverGate;
    InetSocketAddress serverAddress = SessionPair.SERVER_ADDRESS;

    SessionPairBuilder(DtlsProvider clientProvider, DtlsProvider serverProvider) {
        this.clientProvider = clientProvider;
        this.serverProvider = serverProvider;
    }

    /**
     * The client session's configuration; required unless {@link #contexts} gives both contexts.
     *
     * @param config the configuration
     * @return this builder
     */
    public SessionPairBuilder clientConfig(DtlsConfig config) {
        this.clientConfig = config;
        return this;
    }

    /**
     * The server session's configuration; required unless {@link #contexts} gives both contexts.
     *
     * @param config the configuration
     * @return this builder
     */
    public SessionPairBuilder serverConfig(DtlsConfig config) {
        this.serverConfig = config;
        return this;
    }

    /**
     * Uses existing contexts (for example to resume a session made by an earlier pair);
     * the pair does not close them. Replaces the configs.
     *
     * @param client the client's context
     * @param server the server's context
     * @return this builder
     */
    public SessionPairBuilder contexts(DtlsContext client, DtlsContext server) {
        this.clientContext = client;
        this.serverContext = server;
        this.clientConfig = client.config();
        this.serverConfig = server.config();
        return this;
    }

    /**
     * The link's conditions (default {@link NetworkConditions#CLEAN}).
     *
     * @param conditions the conditions
     * @return this builder
     */
    public SessionPairBuilder conditions(NetworkConditions conditions) {
        this.conditions = conditions;
        return this;
    }

    /**
     * The server address the client session is made for (default {@link SessionPair#SERVER_ADDRESS});
     * the link delivers datagrams whatever it says, so only what the client derives from
     * it, such as its default SNI name, changes.
     *
     * @param address the server's address
     * @return this builder
     */
    public SessionPairBuilder serverAddress(InetSocketAddress address) {
        this.serverAddress = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * The seed of the link's random fates (default 1).
     *
     * @param seed the seed
     * @return this builder
     */
    public SessionPairBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Opens no server session at first: the listener's part. Until the server session
     * exists, {@code gate} sees every datagram for the server, on the loop; it returns
     * true when it consumed the datagram (answered it, say, through
     * {@link InMemoryLink#inject}), or calls {@link SessionPair#openServerSession()} and
     * returns false to hand the datagram to the new session.
     *
     * @param gate sees each datagram for the server until the session exists
     * @return this builder
     */
    public SessionPairBuilder serverGate(Predicate<byte[]> gate) {
        this.serverGate = Objects.requireNonNull(gate, "gate");
        return this;
    }

    /**
     * Makes both contexts and sessions (nothing is sent until {@link SessionPair#start()}).
     *
     * @return the pair, not started
     * @throws NullPointerException if a configuration was not given
     */
    public SessionPair build() {
        Objects.requireNonNull(clientConfig, "clientConfig");
        Objects.requireNonNull(serverConfig, "serverConfig");
        return new SessionPair(this);
    }
}
