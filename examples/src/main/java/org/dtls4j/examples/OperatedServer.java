package org.dtls4j.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Credentials;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;

/**
 * The operator's server: the echo of {@link EchoServer#echo()} with limits set for a
 * busy host (every core reading the port, bounded sessions and handshakes, idle peers
 * dropped), its counters logged each interval, and a clean stop on SIGTERM.
 *
 * <p>Run: {@code java -cp "examples/target/dtls4j-examples.jar:examples/target/lib/*"
 * org.dtls4j.examples.OperatedServer server.pem server.key 4433 10}.
 */
public final class OperatedServer {

    private OperatedServer() {
    }

    /**
     * Serves until SIGTERM or Ctrl-C, printing the server's counters every interval and once
     * more at the end.
     *
     * @param args certificate chain PEM, private key PEM, UDP port, seconds between stats lines
     * @throws Exception if the files cannot be read or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OperatedServer CERT.pem KEY.pem PORT STATS_SECONDS");
            System.exit(2);
        }
        DtlsConfig config = DtlsConfig.builder()
                .credentials(Credentials.fromPem(Path.of(args[0]), Path.of(args[1])))
                .build();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2]));
        DtlsContext context = Dtls.newContext(config);
        DtlsServer server = bind(context, address);
        System.out.println("server (" + context.providerName() + ") on " + server.localAddress());
        ScheduledExecutorService stats = logStats(server, Duration.ofSeconds(Long.parseLong(args[3])));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {    // SIGTERM, Ctrl-C
            stats.shutdownNow();
            server.close();                                       // close_notify to every peer
            context.close();
            System.out.println("final " + server.stats());
        }));
        Thread.currentThread().join();                            // until the process is stopped
    }

    // README: operator
    /**
     * {@return a server tuned for a busy host: one socket and I/O thread per core
     * ({@code SO_REUSEPORT}), at most 100,000 sessions of which 1,000 mid-handshake, and peers
     * idle for 5 minutes dropped}
     *
     * @param context the context that makes the server's sessions
     * @param address where to bind
     * @throws IOException if the address cannot be bound
     */
    public static DtlsServer bind(DtlsContext context, InetSocketAddress address) throws IOException {
        TransportOptions options = TransportOptions.builder()
                .ioThreads(Runtime.getRuntime().availableProcessors())
                .maxSessions(100_000)
                .maxHandshakes(1_000)
                .idleTimeout(Duration.ofMinutes(5))
                .build();                                   // a wrong value fails here, naming the fix
        return DtlsServer.bind(context, address, options, EchoServer.echo());
    }

    /**
     * {@return a scheduler that prints {@code server.stats()} every {@code interval}: datagrams,
     * records, cookies, handshakes, drops by reason, live sessions}
     *
     * @param server the server to watch
     * @param interval time between lines
     */
    public static ScheduledExecutorService logStats(DtlsServer server, Duration interval) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(() -> System.out.println(server.stats()),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler;
    }
    // README: end
}
