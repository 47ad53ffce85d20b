package org.dtls4j.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.DtlsProvider;

/**
 * Full ECDSA P-256 handshakes over 127.0.0.1 through {@link DtlsServer} and
 * {@link DtlsClient}, one after another from one thread, for every ordered pair of available
 * providers, in one run: handshakes per second and the p50/p99 time from {@code connect} to
 * an established connection, cookie exchange included.
 *
 * <p>Every handshake uses a client context of its own, made before the clock starts, so
 * none is resumed. Every pair runs once to warm up before the measured round. One more row runs JSSE's server with its own cookies kept from the
 * listener (a context that does not implement {@link BackendCookies}): the two cookie exchanges a JSSE
 * server needed before the listener could send JSSE's cookie.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.UdpHandshakeBenchmark [handshakes per pair]</pre>
 */
public final class UdpHandshakeBenchmark {

    /** Handshakes each {@link #run} makes before it starts the clock. */
    static final int WARMUP = 100;
    private static final ThreadLocal<String> LISTENERS = new ThreadLocal<>();

    /** A server handler that takes connections and records and does nothing with them. */
    static final DtlsConnectionHandler IGNORE = new DtlsConnectionHandler() {
        @Override
        public void onConnected(DtlsConnection connection) {
        }

        @Override
        public void onRecord(DtlsConnection connection, java.nio.ByteBuffer record) {
        }
    };

    /** What one pair measured. */
    public record Result(String pair, int handshakes, double seconds, long[] nanos) {
        public double perSecond() {
            return handshakes / seconds;
        }

        public double percentileMillis(double p) {
            return nanos[(int) Math.min(nanos.length - 1, Math.floor(p * nanos.length))] / 1e6;
        }
    }

    private UdpHandshakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int handshakes = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        List<DtlsProvider> providers = Dtls.providers().stream().filter(p -> p.availability().isAvailable()).toList();
        measureAll(providers, WARMUP); // the JIT warms up on every path first: the first pairs would lose otherwise
        List<Result> results = measureAll(providers, handshakes);
        System.out.printf("%nFull handshakes over 127.0.0.1 through DtlsServer, one at a time, %d per pair, %d cores%n",
                handshakes, Runtime.getRuntime().availableProcessors());
        System.out.println("| client -> server | handshakes/s | p50 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf("| %s | %.0f | %.2f | %.2f |%n", r.pair, r.perSecond(), r.percentileMillis(0.5),
                    r.percentileMillis(0.99));
        }
    }

    /** Every ordered pair, and JSSE's server with its cookies kept from the listener next to it. */
    private static List<Result> measureAll(List<DtlsProvider> providers, int handshakes) throws Exception {
        List<Result> results = new ArrayList<>();
        for (DtlsProvider server : providers) {
            for (DtlsProvider client : providers) {
                results.add(progress(run(client, server, false, handshakes)));
                if (server.name().equals("jsse") && !client.name().equals("bouncycastle")) {
                    // bctls cannot follow two exchanges: the reason the listener sends JSSE's cookie
                    results.add(progress(run(client, server, true, handshakes)));
                }
            }
        }
        return results;
    }

    private static Result progress(Result r) {
        System.err.printf("%s: %.0f handshakes/s%n", r.pair, r.perSecond());
        return r;
    }

    /**
     * @param twoExchanges whether the server context keeps its backend's cookies from the
     *        listener (only JSSE's has any)
     */
    public static Result run(DtlsProvider client, DtlsProvider server, boolean twoExchanges, int handshakes)
            throws Exception {
        return run(client, server, twoExchanges, handshakes, ProtocolVersion.DTLS_1_2);
    }

    /** As {@link #run(DtlsProvider, DtlsProvider, boolean, int)}, both sides configured for {@code version}. */
    public static Result run(DtlsProvider client, DtlsProvider server, boolean twoExchanges, int handshakes,
                             ProtocolVersion version) throws Exception {
        DtlsConfig serverConfig = MemoryPair.serverConfig(version);
        DtlsConfig clientConfig = MemoryPair.clientConfig(version);
        List<DtlsContext> clients = new ArrayList<>();
        LISTENERS.set(server.name());
        if (Boolean.getBoolean("bench.fast")) {
            serverConfig = serverConfig.toBuilder().retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
            clientConfig = clientConfig.toBuilder().retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        }
        try (DtlsContext real = server.newContext(serverConfig);
             DtlsServer listener = DtlsServer.bind(twoExchanges ? withoutBackendCookies(real) : real,
                     new InetSocketAddress(UdpEchoBenchmark.LOOPBACK, 0), TransportOptions.defaults(), IGNORE)) {
            for (int i = 0; i < WARMUP + handshakes; i++) {
                clients.add(client.newContext(clientConfig));
            }
            long[] nanos = new long[handshakes];
            long start = 0;
            for (int i = 0; i < WARMUP + handshakes; i++) {
                if (i == WARMUP) {
                    start = System.nanoTime();
                }
                long t0 = System.nanoTime();
                try (DtlsConnection c = connect(clients.get(i), listener, i)) {
                    if (c.info().resumed()) {
                        throw new IllegalStateException("a handshake was resumed; every one must be full");
                    }
                }
                if (i >= WARMUP) {
                    nanos[i - WARMUP] = System.nanoTime() - t0;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(nanos);
            String pair = client.name() + " -> " + server.name() + (twoExchanges ? " (JSSE's cookies kept from the listener)" : "");
            return new Result(pair, handshakes, seconds, nanos);
        } finally {
            clients.forEach(DtlsContext::close);
        }
    }

    private static DtlsConnection connect(DtlsContext client, DtlsServer listener, int i) throws java.io.IOException {
        try {
            return DtlsClient.connect(client, listener.localAddress(), Duration.ofSeconds(10));
        } catch (org.dtls4j.DtlsException e) {
            throw new IllegalStateException("handshake " + i + " with " + client.providerName() + " -> "
                    + listener.localAddress() + " (" + LISTENERS.get() + ") failed; server: " + listener.stats(), e);
        }
    }

    /** {@code real} as a context whose backend's cookies the listener never sees. */
    private static DtlsContext withoutBackendCookies(DtlsContext real) {
        return new DtlsContext() {
            @Override
            public String providerName() {
                return real.providerName();
            }

            @Override
            public DtlsConfig config() {
                return real.config();
            }

            @Override
            public DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener) {
                return real.newClientSession(peer, listener);
            }

            @Override
            public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
                return real.newServerSession(peer, listener);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }
}
