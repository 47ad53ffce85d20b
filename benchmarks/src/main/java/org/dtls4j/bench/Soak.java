package org.dtls4j.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsTimeoutException;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.ProcessResources;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.UdpRelay;
import org.dtls4j.tck.peers.Echo;

/**
 * The soak: every available provider at once, for N minutes, connects, exchanges records and
 * closes, over a path that loses 10% of the datagrams both ways; each minute it prints the
 * process's heap after GC, RSS, threads and open descriptors, and what the churn achieved.
 * Flat figures from the second minute on are the pass: nothing leaks per connection.
 *
 * <p>Each provider has one server, one relay that loses (seeded) and one client thread: a
 * client connects through the relay (whose one upstream port the server sees for every
 * connection, so a lost close_notify leaves the server a session that the next ClientHello
 * from the same address must replace), sends 20 records of 100 bytes and reads the echoes
 * until 20 came or 1 s passed, then closes.
 *
 * <p>Run: {@code java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.Soak 30}
 * (minutes; default 1). Not thread-safe; a main.
 */
public final class Soak {

    private static final int RECORDS = 20;
    private static final double LOSS = 0.10;

    private Soak() {
    }

    /** One provider's churn: a server behind a lossy relay, and the client thread's counts. */
    private static final class Churn implements AutoCloseable {
        final String name;
        final DtlsContext serverContext;
        final DtlsContext clientContext;
        final DtlsServer server;
        final UdpRelay relay;
        final AtomicLong connected = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong echoed = new AtomicLong();
        volatile boolean running = true;
        final Thread thread;

        Churn(DtlsProvider provider, long seed) throws Exception {
            name = provider.name();
            serverContext = provider.newContext(TckPki.get().serverConfig().build());
            clientContext = provider.newContext(TckPki.get().clientConfig().handshakeTimeout(Duration.ofSeconds(10)).build());
            server = DtlsServer.bind(serverContext, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    TransportOptions.builder().idleTimeout(Duration.ofSeconds(10)).build(), new Echo());
            relay = new UdpRelay(server.localAddress());
            relay.degrade(seed, LOSS, 0);
            thread = new Thread(this::churn, "soak-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void churn() {
            ByteBuffer reply = ByteBuffer.allocate(2048);
            byte[] payload = new byte[100];
            while (running) {
                try (DtlsConnection c = DtlsClient.connect(clientContext, relay.address())) {
                    connected.incrementAndGet();
                    for (int i = 0; i < RECORDS; i++) {
                        payload[0] = (byte) i;
                        c.send(ByteBuffer.wrap(payload));
                        sent.incrementAndGet();
                    }
                    long deadline = System.nanoTime() + 1_000_000_000L;
                    for (int got = 0; got < RECORDS && System.nanoTime() - deadline < 0; got++) {
                        reply.clear();
                        if (c.receive(reply, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) < 0) {
                            break;
                        }
                        echoed.incrementAndGet();
                    }
                } catch (DtlsTimeoutException e) {
                    // fewer than 20 echoes within the second: the loss took them
                } catch (DtlsException | java.io.IOException e) {
                    if (failed.incrementAndGet() <= 3) {
                        System.err.println("soak: " + name + ": " + e);
                    }
                }
            }
        }

        String line() {
            return String.format("%s %d/%d/%.0f%%", name, connected.get(), failed.get(),
                    sent.get() == 0 ? 0.0 : 100.0 * echoed.get() / sent.get());
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(30_000);
            relay.close();
            server.close();
            clientContext.close();
            serverContext.close();
        }
    }

    /**
     * Runs the soak and prints a markdown table, a row a minute.
     *
     * @param args minutes to run (default 1)
     * @throws Exception if a server cannot be bound
     */
    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<Churn> churns = new ArrayList<>();
        long seed = 1;
        for (DtlsProvider p : Dtls.providers()) {
            if (p.availability().isAvailable()) {
                churns.add(new Churn(p, seed++));
            }
        }
        System.out.println("| minute | heap after GC MiB | RSS MiB | threads | fds | connections / failed / records echoed, per provider |");
        System.out.println("|---|---|---|---|---|---|");
        long start = System.nanoTime();
        for (int minute = 1; minute <= minutes; minute++) {
            long due = start + minute * 60_000_000_000L;
            while (System.nanoTime() - due < 0) {
                Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));   // a main's pacing, not a test's wait
            }
            ProcessResources r = ProcessResources.now();
            StringBuilder per = new StringBuilder();
            for (Churn c : churns) {
                per.append(per.length() == 0 ? "" : ", ").append(c.line());
            }
            System.out.printf("| %d | %.1f | %.1f | %d | %d | %s |%n", minute, r.heapBytes() / 1048576.0,
                    r.rssBytes() / 1048576.0, r.threads(), r.fileDescriptors(), per);
        }
        for (Churn c : churns) {
            c.close();
        }
        System.out.printf("%n%d providers at once, 10%% loss both ways, %d records of 100 bytes per connection;"
                + " counts are cumulative%n", churns.size(), RECORDS);
    }
}
