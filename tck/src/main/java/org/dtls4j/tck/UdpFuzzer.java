package org.dtls4j.tck;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.peers.Echo;

/**
 * Fuzzes a real {@link DtlsServer} over UDP on 127.0.0.1 with hostile datagrams, in four
 * phases of a quarter of the datagrams each, then checks that it survived: a real client still
 * connects and exchanges data, and the process's threads, descriptors and heap are where they
 * were before ({@link ProcessResources}).
 * <ol>
 *   <li><b>raw</b>: random bytes and bogus record headers, from 64 sockets;
 *   <li><b>lying hellos</b>: real first ClientHellos with lying lengths, 16 MB message claims,
 *       fragments past the end, duplicated extensions, from 64 sockets. This phase and the first
 *       also measure what the listener answers strangers, in bytes over bytes received (the
 *       amplification bound: at most 1);
 *   <li><b>cookies</b>: ClientHellos mutated past the cookie, sent without one, then again with
 *       the cookie the listener answered (DTLS 1.2's HelloVerifyRequest), each from a socket of
 *       its own, so they reach the provider's session;
 *   <li><b>established</b>: a real client connects through a relay; the relay's server-side
 *       socket, which the server takes for the client, injects epoch-0 alerts of every level and
 *       description, ChangeCipherSpecs with bad bodies, epoch-0 ClientHellos, records of the
 *       current and future epochs that cannot authenticate (sequence 2^48-1 among them), and the
 *       client's own records with flipped ciphertext or forged sequence numbers. Every 32
 *       injections the client must still get an echo within 2 s; a session that does not is
 *       counted as lost, with what was injected, and the client reconnects.
 * </ol>
 *
 * <p>Before the "before" figures, a warm-up: a real client, and a few rounds of phase 3, so that
 * what a provider makes once (thread pools, caches) is already there. The server's handshakes
 * time out after 2 s, and the run waits for the stalled ones of phase 3 to go before phase 4.
 *
 * <p>The same seed sends the same datagrams. JUnit-free: {@code dtls4j fuzz} runs it.
 * Not thread-safe: one run at a time per instance; runs are independent.
 *
 * @since 0.1
 */
public final class UdpFuzzer {

    /** Answers awaited this long for a batch of cookie-less hellos before the cookies go out. */
    private static final Duration COOKIE_WAIT = Duration.ofMillis(50);
    private static final Duration ECHO_WAIT = Duration.ofSeconds(2);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final int SOCKETS = 64;
    private static final int INJECTIONS_PER_CHECK = 32;

    /**
     * What one phase sent and got back.
     *
     * @param name the phase
     * @param sent datagrams sent
     * @param sentBytes their bytes
     * @param answers datagrams the server sent back to the fuzzing sockets
     * @param answerBytes their bytes
     * @param reachedProvider ClientHellos sent with a verified cookie (phase 3), else 0
     * @param sessionsLost established sessions that stopped echoing (phase 4), else 0
     * @param seconds how long the phase took
     * @param notes what the phase observed, one line each (for a lost session: what was injected)
     */
    public record Phase(String name, long sent, long sentBytes, long answers, long answerBytes, long reachedProvider,
                        long sessionsLost, double seconds, List<String> notes) {

        /** {@return bytes answered over bytes received, as the server saw this phase} */
        public double amplification() {
            return sentBytes == 0 ? 0 : (double) answerBytes / sentBytes;
        }
    }

    /**
     * The outcome of a run.
     *
     * @param provider the provider fuzzed
     * @param seed the seed
     * @param phases the four phases, in order
     * @param before the process's resources after a warm-up handshake, before fuzzing
     * @param after the same, after the last check and once the server held no session
     * @param stats the server's counters at the end
     * @param aliveAfter whether a real client connected and got its echo after the fuzzing
     * @param seconds how long the run took
     */
    public record Report(String provider, long seed, List<Phase> phases, ProcessResources before,
                         ProcessResources after, TransportStats stats, boolean aliveAfter, double seconds) {

        /**
         * {@return whether the server survived: alive, no established session lost to forged
         * records (nor a reconnect refused), threads and descriptors back where they were (two of
         * slack), heap within 16 MiB or 25% of where it was, and no stranger answered with more
         * bytes than it sent}
         */
        public boolean passed() {
            return aliveAfter && phases.get(3).sessionsLost() == 0 && after.threads() <= before.threads() + 2
                    && after.fileDescriptors() <= before.fileDescriptors() + 2
                    && after.heapBytes() <= Math.max(before.heapBytes() + (16L << 20), before.heapBytes() * 5 / 4)
                    && phases.stream().limit(2).allMatch(p -> p.amplification() <= 1.0);
        }
    }

    private final DtlsProvider provider;
    private final Consumer<String> log;

    /**
     * A fuzzer for one provider's server.
     *
     * @param provider the provider whose {@code DtlsServer} is fuzzed (and whose client checks it)
     * @param log where progress lines go
     */
    public UdpFuzzer(DtlsProvider provider, Consumer<String> log) {
        this.provider = provider;
        this.log = log;
    }

    /**
     * Runs the four phases and the checks.
     *
     * @param datagrams how many hostile datagrams to send, in all
     * @param seed the seed of every choice
     * @return what happened; {@link Report#passed()} says whether the server survived
     * @throws IOException if a socket cannot be opened
     * @throws InterruptedException if interrupted
     */
    public Report run(long datagrams, long seed) throws IOException, InterruptedException {
        long start = System.nanoTime();
        DtlsConfig serverConfig = TckPki.get().serverConfig().handshakeTimeout(HANDSHAKE_TIMEOUT).build();
        DtlsConfig clientConfig = TckPki.get().clientConfig().build();
        byte[] hello12 = RawHellos.firstClientHello(provider,
                TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build());
        List<byte[]> hellos = new ArrayList<>(List.of(hello12));
        if (Capabilities.protocolVersions(provider).contains(ProtocolVersion.DTLS_1_3)) {
            hellos.add(RawHellos.firstClientHello(provider,
                    TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build()));
        }
        HostileDatagrams hostile = new HostileDatagrams(seed);
        long quarter = Math.max(1, datagrams / 4);
        try (DtlsContext serverContext = provider.newContext(serverConfig);
             DtlsContext clientContext = provider.newContext(clientConfig);
             DtlsServer server = DtlsServer.bind(serverContext, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), new Echo())) {
            InetSocketAddress to = server.localAddress();
            // Warm-up: a real client, and a few cookie-phase rounds so that what the provider
            // creates once (thread pools, caches) exists before the "before" figures are taken.
            boolean warm = echoes(clientContext, to, "warm-up");
            cookies(to, Math.min(512, quarter / 8), new HostileDatagrams(~seed), hello12);
            drained(server);
            ProcessResources before = ProcessResources.now();
            log.accept(provider.name() + ": warm-up " + (warm ? "ok" : "FAILED") + "; before: " + before);
            List<Phase> phases = new ArrayList<>();
            phases.add(strangers("raw", to, quarter, hostile::raw));
            phases.add(strangers("lying hellos", to, quarter,
                    () -> hostile.lyingHello(hellos.get(hostile.random().nextInt(hellos.size())))));
            phases.add(cookies(to, quarter, hostile, hello12));
            drained(server);        // the stalled handshakes of phase 3 time out, so a client gets in
            phases.add(established(clientContext, to, quarter, hostile, hello12));
            phases.forEach(p -> log.accept(provider.name() + ": " + describe(p)));
            boolean alive = echoes(clientContext, to, "alive?");
            boolean drained = drained(server);
            ProcessResources after = settled(before);
            log.accept(provider.name() + ": alive after: " + alive + "; sessions drained: " + drained + "; after: " + after);
            return new Report(provider.name(), seed, List.copyOf(phases), before, after, server.stats(), alive,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** Phases 1 and 2: {@code count} datagrams from 64 sockets, answers counted. */
    private Phase strangers(String name, InetSocketAddress to, long count, Supplier<byte[]> next)
            throws IOException {
        FuzzSockets.Tally t = new FuzzSockets.Tally();
        try (FuzzSockets.Sockets sockets = new FuzzSockets.Sockets(SOCKETS, to)) {
            for (long i = 0; i < count; i++) {
                t.sent(sockets.send((int) (i % SOCKETS), next.get()));
                if (i % 64 == 63) {
                    sockets.drain(t, Duration.ZERO);
                }
            }
            sockets.drain(t, Duration.ofMillis(100));
        }
        return t.phase(name, 0, 0, List.of());
    }

    /** Phase 3: mutated hellos that earn a cookie, then come back with it; two datagrams each. */
    private Phase cookies(InetSocketAddress to, long count, HostileDatagrams hostile, byte[] hello) throws IOException {
        FuzzSockets.Tally t = new FuzzSockets.Tally();
        long reached = 0;
        while (t.sent < count) {
            try (FuzzSockets.Sockets sockets = new FuzzSockets.Sockets(SOCKETS, to)) {
                byte[][] mutated = new byte[SOCKETS][];
                for (int s = 0; s < SOCKETS; s++) {
                    mutated[s] = hostile.mutatedBody(hello);
                    t.sent(sockets.send(s, mutated[s]));
                }
                byte[][] answers = sockets.firstAnswers(t, COOKIE_WAIT);
                for (int s = 0; s < SOCKETS; s++) {
                    byte[] again = answers[s] != null && RawHellos.isHelloVerifyRequest(answers[s])
                            ? HostileDatagrams.withCookie(mutated[s], RawHellos.cookieOf(answers[s])) : null;
                    if (again != null) {
                        t.sent(sockets.send(s, again));
                        reached++;
                    }
                }
                sockets.drain(t, Duration.ZERO);
            }
        }
        return t.phase("cookies", reached, 0, List.of());
    }

    /** Phase 4: injections into a live session's address, its echo checked every 32. */
    private Phase established(DtlsContext clientContext, InetSocketAddress to, long count, HostileDatagrams hostile,
                              byte[] hello) throws IOException {
        FuzzSockets.Tally t = new FuzzSockets.Tally();
        long lost = 0;
        List<String> notes = new ArrayList<>();
        long i = 0;
        while (i < count) {
            AtomicReference<byte[]> captured = new AtomicReference<>();
            try (UdpRelay relay = new UdpRelay(to);
                 DtlsConnection client = DtlsClient.connect(clientContext, relay.address(), HANDSHAKE_TIMEOUT.multipliedBy(2))) {
                relay.rewriteClientDatagrams(d -> {
                    captured.set(d);
                    return d;
                });
                boolean alive = true;
                while (alive && i < count) {
                    List<String> batch = new ArrayList<>();
                    for (int k = 0; k < INJECTIONS_PER_CHECK && i < count; k++, i++) {
                        byte[] d = hostile.injected(hello, captured.get());
                        batch.add(kind(d));
                        relay.sendToServer(d);
                        t.sent(d.length);
                    }
                    String failure = echoFailure(client, "check " + i);
                    alive = failure == null;
                    if (!alive) {
                        lost++;
                        if (notes.size() < 20) {
                            notes.add("lost after " + i + " injections (" + failure + "), the last: " + batch);
                        }
                    }
                }
            } catch (DtlsException e) {
                lost++;
                i += INJECTIONS_PER_CHECK;            // a failed reconnect still moves on
                if (notes.size() < 20) {
                    notes.add("reconnect failed: " + e);
                }
            }
        }
        return t.phase("established", 0, lost, notes);
    }

    /** Whether the server holds no session within 15 s: stalled handshakes time out after 2. */
    private static boolean drained(DtlsServer server) {
        try {
            Await.until(() -> server.stats().liveSessions() == 0, Duration.ofSeconds(15), () -> "sessions left");
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /**
     * The resources once threads and descriptors are back within two of {@code before}, or
     * after 10 s if they are not: idle pool threads (BouncyCastle's handshake threads end after
     * a few seconds) and closing sockets take a moment to go; a leak stays and is reported.
     */
    private static ProcessResources settled(ProcessResources before) {
        try {
            Await.until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= before.threads() + 2
                            && ProcessResources.openFileDescriptors() <= before.fileDescriptors() + 2,
                    Duration.ofSeconds(10), () -> "threads and descriptors");
        } catch (AssertionError e) {
            // reported by the figures themselves
        }
        return ProcessResources.now();
    }

    private static boolean echoes(DtlsContext clientContext, InetSocketAddress to, String text) throws IOException {
        try (DtlsConnection c = DtlsClient.connect(clientContext, to, HANDSHAKE_TIMEOUT.multipliedBy(2))) {
            return echoes(c, text);
        } catch (DtlsException e) {
            return false;
        }
    }

    private static boolean echoes(DtlsConnection c, String text) {
        return echoFailure(c, text) == null;
    }

    /** Null if {@code text} came back within 2 s, else why not. */
    private static String echoFailure(DtlsConnection c, String text) {
        try {
            byte[] sent = text.getBytes(StandardCharsets.UTF_8);
            c.send(ByteBuffer.wrap(sent));
            ByteBuffer reply = ByteBuffer.allocate(c.maxRecordSize());
            long deadline = System.nanoTime() + ECHO_WAIT.toNanos();
            while (System.nanoTime() - deadline < 0) {        // earlier checks' late echoes are skipped
                reply.clear();
                if (c.receive(reply, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) < 0) {
                    return "end of stream";
                }
                if (reply.flip().equals(ByteBuffer.wrap(sent))) {
                    return null;
                }
            }
            return "no echo within " + ECHO_WAIT.toMillis() + " ms";
        } catch (IOException | DtlsException e) {
            return e.toString();
        }
    }

    /** A short name for an injected datagram: content type, epoch and what it claims. */
    private static String kind(byte[] d) {
        if (d.length < 13) {
            return "short";
        }
        if ((d[0] & 0xe0) == 0x20) {
            return "1.3-ciphertext";
        }
        int type = d[0] & 0xff;
        int epoch = (d[3] & 0xff) << 8 | d[4] & 0xff;
        String what = switch (type) {
            case 20 -> "ccs";
            case 21 -> d.length >= 15 && epoch == 0 ? "alert(" + (d[13] & 0xff) + "," + (d[14] & 0xff) + ")" : "alert";
            case 22 -> "handshake";
            case 23 -> "appdata";
            default -> "type" + type;
        };
        return what + "@" + epoch;
    }

    private static String describe(Phase p) {
        return String.format("%s: %.1f s, sent %d (%d B), answers %d (%d B, %.2fx)%s%s%s", p.name(), p.seconds(), p.sent(),
                p.sentBytes(),
                p.answers(), p.answerBytes(), p.amplification(),
                p.reachedProvider() > 0 ? ", reached the provider " + p.reachedProvider() : "",
                p.name().equals("established") ? ", sessions lost " + p.sessionsLost() : "",
                p.notes().isEmpty() ? "" : "\n  " + String.join("\n  ", p.notes()));
    }
}
