package org.dtls4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsTimeoutException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;

/**
 * Echo over 127.0.0.1, raw {@link DatagramChannel} against {@link DtlsConnection} for every
 * available provider, in one run: records per second and round-trip percentiles, 1200-byte
 * payloads, with 1 and 32 clients. Each client keeps a window of records in flight and
 * counts one echo per record.
 *
 * <pre>java -jar benchmarks/target/dtls4j-benchmarks.jar [seconds per case] [window] [provider] [clients]</pre>
 */
public final class UdpEchoBenchmark {

    /** A server handler that sends every record back to its connection. */
    static final DtlsConnectionHandler ECHO = new DtlsConnectionHandler() {
        @Override
        public void onConnected(DtlsConnection connection) {
        }

        @Override
        public void onRecord(DtlsConnection connection, ByteBuffer record) {
            try {
                connection.send(record);
            } catch (IOException | RuntimeException e) {
                // the client left
            }
        }
    };

    static final int PAYLOAD = 1200;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One client's end of an echo: raw or DTLS. */
    interface Endpoint extends AutoCloseable {
        void send(ByteBuffer b) throws IOException;

        /** The next echo, or false if none came within 200 ms. */
        boolean receive(ByteBuffer b) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** What a case measured. */
    public record Result(String name, int clients, long records, double seconds, long[] rttNanos) {
        public double perSecond() {
            return records / seconds;
        }

        public double percentileMicros(double p) {
            if (rttNanos.length == 0) {
                return Double.NaN;
            }
            return rttNanos[(int) Math.min(rttNanos.length - 1, Math.floor(p * rttNanos.length))] / 1000.0;
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        // optional: a provider name to measure alone, and the client counts (e.g. "jsse 1")
        String only = args.length > 2 ? args[2] : "";
        int[] clientCounts = args.length > 3 ? new int[] {Integer.parseInt(args[3])} : new int[] {1, 32};
        List<Result> results = new ArrayList<>();
        for (int clients : clientCounts) {
            results.add(runRaw(clients, seconds, window));
            for (DtlsProvider p : Dtls.providers()) {
                if (p.availability().isAvailable() && (only.isEmpty() || only.equals(p.name()))) {
                    results.add(runDtls(p, clients, seconds, window));
                }
            }
        }
        print(results, window);
    }

    static void print(List<Result> results, int window) {
        System.out.printf("%nUDP echo on 127.0.0.1, %d-byte payloads, window %d per client, %d cores%n", PAYLOAD,
                window, Runtime.getRuntime().availableProcessors());
        System.out.printf("| %-12s | %7s | %12s | %8s | %9s | %9s |%n", "transport", "clients", "records/s", "vs raw",
                "p50 µs", "p99 µs");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            Result raw = results.stream().filter(x -> x.name.equals("raw udp") && x.clients == r.clients).findFirst().orElse(r);
            System.out.printf("| %-12s | %7d | %12.0f | %7.0f%% | %9.0f | %9.0f |%n", r.name, r.clients, r.perSecond(),
                    100 * r.perSecond() / raw.perSecond(), r.percentileMicros(0.5), r.percentileMicros(0.99));
        }
    }

    public static Result runRaw(int clients, double seconds, int window) throws Exception {
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            server.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            Thread echo = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(65536);
                try {
                    while (true) {
                        b.clear();
                        SocketAddress from = server.receive(b);
                        b.flip();
                        server.send(b, from);
                    }
                } catch (IOException closed) {
                    // done
                }
            }, "raw-echo");
            echo.setDaemon(true);
            echo.start();
            InetSocketAddress to = (InetSocketAddress) server.getLocalAddress();
            return measure("raw udp", clients, seconds, window, () -> {
                DatagramChannel c = DatagramChannel.open().connect(to);
                c.socket().setSoTimeout(200);
                return new Endpoint() {
                    @Override
                    public void send(ByteBuffer b) throws IOException {
                        c.write(b);
                    }

                    @Override
                    public boolean receive(ByteBuffer b) throws IOException {
                        // A blocking channel ignores SO_TIMEOUT: read through the socket adaptor.
                        java.net.DatagramPacket p = new java.net.DatagramPacket(b.array(), b.capacity());
                        try {
                            c.socket().receive(p);
                        } catch (java.net.SocketTimeoutException e) {
                            return false;
                        }
                        b.position(p.getLength());
                        return true;
                    }

                    @Override
                    public void close() throws IOException {
                        c.close();
                    }
                };
            });
        }
    }

    public static Result runDtls(DtlsProvider provider, int clients, double seconds, int window) throws Exception {
        return runDtls(provider, clients, seconds, window, ProtocolVersion.DTLS_1_2);
    }

    /** As {@link #runDtls(DtlsProvider, int, double, int)}, both sides configured for {@code version}. */
    public static Result runDtls(DtlsProvider provider, int clients, double seconds, int window, ProtocolVersion version)
            throws Exception {
        return runDtls(provider, clients, seconds, window, version, 1);
    }

    /**
     * As {@link #runDtls(DtlsProvider, int, double, int, ProtocolVersion)}, the server with
     * {@code ioThreads} I/O threads ({@link TransportOptions#ioThreads()}).
     */
    public static Result runDtls(DtlsProvider provider, int clients, double seconds, int window, ProtocolVersion version,
                                 int ioThreads) throws Exception {
        DtlsConfig serverConfig = MemoryPair.serverConfig(version).toBuilder()
                .retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        DtlsConfig clientConfig = MemoryPair.clientConfig(version).toBuilder()
                .retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        DtlsConnectionHandler echo = ECHO;
        try (DtlsContext sctx = provider.newContext(serverConfig);
             DtlsContext cctx = provider.newContext(clientConfig);
             DtlsServer server = DtlsServer.bind(sctx, new InetSocketAddress(LOOPBACK, 0),
                     TransportOptions.builder().receiveQueueCapacity(4096).ioThreads(ioThreads).build(), echo)) {
            return measure(provider.name(), clients, seconds, window, () -> dtlsClient(cctx, server.localAddress()));
        }
    }

    /** A {@link DtlsClient} of {@code server}: the client load of every DTLS case. */
    static Endpoint dtlsClient(DtlsContext context, InetSocketAddress server) throws IOException {
        DtlsConnection c = DtlsClient.connect(context, server, Duration.ofSeconds(10));
        return new Endpoint() {
            @Override
            public void send(ByteBuffer b) throws IOException {
                c.send(b);
            }

            @Override
            public boolean receive(ByteBuffer b) throws IOException {
                try {
                    c.receive(b, Duration.ofMillis(200));
                    return true;
                } catch (DtlsTimeoutException e) {
                    return false;
                }
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    interface EndpointFactory {
        Endpoint open() throws IOException;
    }

    static Result measure(String name, int clients, double seconds, int window, EndpointFactory factory) throws Exception {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            endpoints.add(factory.open());
        }
        long warmup = System.nanoTime() + 1_000_000_000L;
        long end = warmup + (long) (seconds * 1e9);
        long[][] rtts = new long[clients][];
        long[] counts = new long[clients];
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    long[] samples = new long[1 << 16];
                    int n = 0;
                    long count = 0;
                    ByteBuffer out = ByteBuffer.allocate(PAYLOAD);
                    ByteBuffer in = ByteBuffer.allocate(PAYLOAD + 64);
                    Endpoint e = endpoints.get(id);
                    for (int w = 0; w < window; w++) {
                        send(e, out);
                    }
                    while (true) {
                        in.clear();
                        if (!e.receive(in)) {
                            send(e, out); // a lost record: put another in flight
                            continue;
                        }
                        long now = System.nanoTime();
                        if (now - end > 0) {
                            break;
                        }
                        if (now - warmup > 0) {
                            count++;
                            long rtt = now - in.getLong(0);
                            if (n < samples.length) {
                                samples[n++] = rtt;
                            } else {
                                samples[(int) (count % samples.length)] = rtt;
                            }
                        }
                        send(e, out);
                    }
                    rtts[id] = Arrays.copyOf(samples, n);
                    counts[id] = count;
                } catch (IOException | RuntimeException ex) {
                    System.err.println(name + " client " + id + ": " + ex);
                    rtts[id] = new long[0];
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await((long) (seconds + 60), TimeUnit.SECONDS);
        for (Endpoint e : endpoints) {
            e.close();
        }
        long total = Arrays.stream(counts).sum();
        long[] all = Arrays.stream(rtts).filter(r -> r != null).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(name, clients, total, seconds, all);
    }

    private static void send(Endpoint e, ByteBuffer out) throws IOException {
        out.clear();
        out.putLong(0, System.nanoTime());
        e.send(out);
    }
}
