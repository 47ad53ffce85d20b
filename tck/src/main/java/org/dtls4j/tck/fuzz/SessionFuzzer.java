package org.dtls4j.tck.fuzz;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;

/*
 * Over 400 lines: the contract checks, the input format and the in-memory driving of the three
 * states read best in one place (what an input may leave behind is ResourceGrowth's).
 */

/**
 * Runs one fuzz input against a provider's server session and checks what the session
 * contract promises for bad input ({@code DtlsSession}, "Bad input"): {@code receive} never
 * throws; {@code droppedDatagrams()} never falls and counts a datagram that is not even well
 * framed; a session fails only by telling its listener, once; nothing takes longer than
 * {@value #DEADLINE_SECONDS} s (a hang fails the input); and a datagram the session says it
 * dropped, without answering, changes nothing: the real handshake then completes, and an
 * established session still delivers a real record. Once its sessions are closed, what it made
 * must be gone: native objects, threads and the sessions themselves ({@link ResourceGrowth}).
 *
 * <p>An input is {@code [configuration][mode][bytes...]}. The configuration byte picks, modulo
 * their number, one of the configurations the provider declares: DTLS 1.2, 1.2 with 4-byte
 * connection IDs, DTLS 1.3, 1.3 with connection IDs. The mode byte says what to send: with
 * bit 0 clear the bytes are the datagram; with bit 0 set they are an XOR mask over a datagram
 * the real client has just produced in this run (bits 2-7 pick which), so mutated records
 * carry the session's real keys and sequence numbers; a mask longer than the datagram appends
 * its rest, and with bit 1 set the datagram is cut to the mask's length.
 *
 * <p>Every pair of sessions has a client context of its own, closed with it, so that no
 * client resumes and no client cache grows from one input to the next; the server contexts are
 * made once. One instance per provider, cached until {@link #closeAll()}. Thread-safe:
 * every input runs on the instance's one worker thread, one at a time.
 *
 * @since 0.1
 */
public final class SessionFuzzer {

    /** The most one input may take, handshakes included. */
    public static final int DEADLINE_SECONDS = 10;

    private static final Map<String, SessionFuzzer> BY_PROVIDER = new ConcurrentHashMap<>();
    private static final int CONNECTION_ID_LENGTH = 4;
    private static final AtomicLong PORTS = new AtomicLong();
    /** How long making the pairs' client contexts took in all, for the stage's report. */
    private static final AtomicLong CLIENT_CONTEXT_NANOS = new AtomicLong();
    private static final int MAX_ROUNDS = 64;
    private static final long HANDSHAKE_MILLIS = 5_000;
    private static final long FLIGHT_MILLIS = 2_000;
    private static final long QUIET_MILLIS = 5;
    private static final Duration WARM_UP_DEADLINE = Duration.ofMinutes(2);
    /** The targets {@link #anyState} picks from, in the order its first byte counts them. */
    static final List<String> STATES = List.of("beforeHandshake", "midHandshake", "established");

    private final DtlsProvider provider;
    private final ResourceGrowth growth;
    /** How many inputs {@link #anyState} gave each of {@link #STATES}. */
    private final long[] anyStateRuns = new long[STATES.size()];

    private final List<Variant> variants = new ArrayList<>();
    private ExecutorService worker = newWorker();
    /** An established pair per variant, reused while it stays established; touched by the worker only. */
    private final Pair[] established;
    /** What each established pair holds of the provider's native objects ({@link ResourceGrowth#difference}). */
    private final List<Map<String, Long>> footprints;
    private long probes;
    private long inputNanos;

    /** One configuration the provider declares: the client's configuration and the server's context. */
    record Variant(String name, DtlsProvider provider, DtlsConfig clientConfig, DtlsContext server, int cidLength,
                   boolean dtls13) {
        DtlsRecordCursor cursor() {
            return new DtlsRecordCursor(cidLength, dtls13);
        }
    }

    private record Input(Variant variant, int mode, byte[] bytes) {
    }

    /** A client session, of a client context of its own, and a server session of one variant, with their events. */
    record Pair(DtlsContext clientContext, DtlsSession client, RecordingListener clientEvents, DtlsSession server,
                        RecordingListener serverEvents) {
        void close() {
            client.close();
            server.close();
            clientContext.close();
        }
    }

    private SessionFuzzer(DtlsProvider provider) {
        this.provider = provider;
        this.growth = new ResourceGrowth(provider);
        boolean cid = provider.capabilities().contains(Capability.CONNECTION_ID);
        boolean dtls13 = provider.capabilities().contains(Capability.DTLS_1_3);
        add(provider, ProtocolVersion.DTLS_1_2, 0);
        if (cid) {
            add(provider, ProtocolVersion.DTLS_1_2, CONNECTION_ID_LENGTH);
        }
        if (dtls13) {
            add(provider, ProtocolVersion.DTLS_1_3, 0);
            if (cid) {
                add(provider, ProtocolVersion.DTLS_1_3, CONNECTION_ID_LENGTH);
            }
        }
        established = new Pair[variants.size()];
        footprints = new ArrayList<>(Collections.nCopies(variants.size(), Map.of()));
        // Not under an input's deadline: under Jazzer's instrumentation and a loaded machine the
        // first handshakes, which load and instrument the provider's classes, took over 10 s.
        run(this::warmUp, WARM_UP_DEADLINE, "the warm-up (a handshake per configuration)");
        growth.warmedUp();
    }

    /** One handshake per variant, so that what a provider makes once per JVM or context exists before the first input. */
    private void warmUp() {
        for (Variant v : variants) {
            Pair p = start(v);
            pumpHandshake(p, v);
            p.close();
        }
    }

    /** The fuzzer for {@code provider}, made on first use (its contexts are built then). */
    public static SessionFuzzer of(DtlsProvider provider) {
        return BY_PROVIDER.computeIfAbsent(provider.name(), n -> new SessionFuzzer(provider));
    }

    /**
     * Closes every session and context the fuzzers hold and forgets them: after a test class, so
     * that nothing outlives it (a provider's leak tests count live sessions in the same JVM).
     */
    public static void closeAll() {
        List<String> findings = new ArrayList<>();
        for (SessionFuzzer f : BY_PROVIDER.values()) {
            f.run(() -> {
                for (Pair p : f.established) {
                    if (p != null) {
                        p.close();
                    }
                }
                Arrays.fill(f.established, null);
                for (Variant v : f.variants) {
                    v.server().close();
                }
            });
            f.worker.shutdownNow();
            try {
                f.growth.requireCollected(Set.of());
            } catch (AssertionError e) {
                findings.add(e.getMessage());
            }
            f.reportAnyState(findings);
        }
        BY_PROVIDER.clear();
        CLIENT_CONTEXT_NANOS.set(0);
        if (!findings.isEmpty()) {
            throw new AssertionError(String.join("; ", findings));
        }
    }

    /** Prints how many inputs {@link #anyState} gave each target; a target it never ran is a finding. */
    private void reportAnyState(List<String> findings) {
        if (Arrays.stream(anyStateRuns).sum() == 0) {
            return;
        }
        StringBuilder line = new StringBuilder(provider.name() + " anyState inputs per target:");
        for (int i = 0; i < STATES.size(); i++) {
            line.append(' ').append(STATES.get(i)).append(' ').append(anyStateRuns[i]);
            if (anyStateRuns[i] == 0) {
                findings.add(provider.name() + " anyState never ran " + STATES.get(i) + ": its seeds are missing"
                        + " or the dispatch is broken, so that target was not fuzzed");
            }
        }
        System.out.printf("%s; %s, %.1f%% to making client contexts%n", line, growth.cost(inputNanos),
                100.0 * CLIENT_CONTEXT_NANOS.get() / inputNanos);
    }

    private void add(DtlsProvider provider, ProtocolVersion version, int cidLength) {
        DtlsConfig.Builder client = TckPki.get().clientConfig().protocolVersions(version);
        DtlsConfig.Builder server = TckPki.get().serverConfig().protocolVersions(version);
        if (cidLength > 0) {
            client.connectionIdLength(cidLength);
            server.connectionIdLength(cidLength);
        }
        variants.add(new Variant(version + (cidLength > 0 ? " with connection IDs" : ""), provider, client.build(),
                provider.newContext(server.build()), cidLength, version == ProtocolVersion.DTLS_1_3));
    }

    /** The configurations this fuzzer picks from, in the order an input's first byte counts them. */
    List<Variant> variants() {
        return List.copyOf(variants);
    }

    /** Feeds the input to a server session that has begun its handshake and seen nothing. */
    public void beforeHandshake(byte[] input) {
        Input in = decode(input);
        runInput("beforeHandshake", in, input, () -> {
            Pair p = track(start(in.variant()), in, input);
            try {
                List<byte[]> flight = drainAwaiting(p.clientEvents(), FLIGHT_MILLIS);
                boolean ignored = feed(in, p.server(), p.serverEvents(), datagram(in, flight));
                requireCompletesIfIgnored(in, p, flight, ignored);
            } finally {
                p.close();
            }
        });
    }

    /** Feeds the input to a server session that has sent its flight in answer to a real ClientHello. */
    public void midHandshake(byte[] input) {
        Input in = decode(input);
        runInput("midHandshake", in, input, () -> {
            Pair p = track(start(in.variant()), in, input);
            try {
                List<byte[]> next = drainAwaiting(p.clientEvents(), FLIGHT_MILLIS);
                for (int round = 0; round < MAX_ROUNDS && startsWithClientHello(next); round++) {
                    deliver(next, p.server(), in.variant());
                    deliver(drainAwaiting(p.serverEvents(), FLIGHT_MILLIS), p.client(), in.variant());
                    next = drainAwaiting(p.clientEvents(), FLIGHT_MILLIS);
                }
                boolean ignored = feed(in, p.server(), p.serverEvents(), datagram(in, next));
                requireCompletesIfIgnored(in, p, next, ignored);
            } finally {
                p.close();
            }
        });
    }

    /** Feeds the input to an established server session, then checks that a real record still goes through. */
    public void established(byte[] input) {
        Input in = decode(input);
        runInput("established", in, input, () -> {
            int index = variants.indexOf(in.variant());
            Pair p = establishedPair(index, in, input);
            p.client().send(ByteBuffer.wrap(probe()));
            List<byte[]> record = drainAwaiting(p.clientEvents(), FLIGHT_MILLIS);
            feed(in, p.server(), p.serverEvents(), datagram(in, record));
            deliver(drain(p.serverEvents()), p.client(), in.variant());
            if (p.server().state() == DtlsSessionState.ESTABLISHED && p.client().state() == DtlsSessionState.ESTABLISHED) {
                p.serverEvents().records().clear();
                byte[] after = probe();
                p.client().send(ByteBuffer.wrap(after));
                pumpUntil(p, in.variant(), () -> p.serverEvents().records().stream().anyMatch(r -> Arrays.equals(r, after)),
                        FLIGHT_MILLIS);
                require(p.serverEvents().records().stream().anyMatch(r -> Arrays.equals(r, after)), in,
                        "an established session did not deliver a real record after the fuzzed datagram");
            } else {
                dropEstablished(index);
            }
        });
    }

    /**
     * The three targets in one: the first byte picks one of {@link #STATES} (modulo 3), the rest
     * is that target's input; the inputs each target got are counted, and printed by
     * {@link #closeAll()}, which fails if one got none.
     */
    public void anyState(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int state = (input[0] & 0xff) % STATES.size();
        anyStateRuns[state]++;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        switch (state) {
            case 0 -> beforeHandshake(rest);
            case 1 -> midHandshake(rest);
            default -> established(rest);
        }
    }

    /** Closes the variant's established pair and forgets it, with what it held. */
    private void dropEstablished(int index) {
        established[index].close();
        established[index] = null;
        growth.closedKept(footprints.get(index));
    }

    /** The pair, whose sessions must become unreachable once the fuzzer lets go of them. */
    private Pair track(Pair p, Input in, byte[] input) {
        growth.made(p.client(), describe(in), input);
        growth.made(p.server(), describe(in), input);
        return p;
    }

    /** The variant's established pair, after a new handshake if the last one is gone. */
    private Pair establishedPair(int index, Input in, byte[] input) {
        Pair p = established[index];
        if (p != null && p.server().state() == DtlsSessionState.ESTABLISHED
                && p.client().state() == DtlsSessionState.ESTABLISHED) {
            return p;
        }
        if (p != null) {
            dropEstablished(index);
        }
        Map<String, Long> before = growth.objectsNow();
        p = track(start(in.variant()), in, input);
        pumpHandshake(p, in.variant());
        boolean completed = p.server().state() == DtlsSessionState.ESTABLISHED;
        if (!completed) {
            p.close();
        }
        require(completed, in, "the real handshake did not complete");
        Map<String, Long> footprint = ResourceGrowth.difference(growth.objectsNow(), before);
        established[index] = p;
        footprints.set(index, footprint);
        growth.kept(footprint);
        return p;
    }

    private Input decode(byte[] input) {
        Variant v = variants.get(input.length == 0 ? 0 : (input[0] & 0xff) % variants.size());
        int mode = input.length < 2 ? 0 : input[1] & 0xff;
        return new Input(v, mode, input.length < 2 ? new byte[0] : Arrays.copyOfRange(input, 2, input.length));
    }

    /** The datagram the input stands for, over the real datagrams the client has just produced. */
    private static byte[] datagram(Input in, List<byte[]> real) {
        if ((in.mode() & 1) == 0 || real.isEmpty()) {
            return in.bytes();
        }
        byte[] base = real.get((in.mode() >>> 2) % real.size());
        byte[] mask = in.bytes();
        byte[] out = Arrays.copyOf(base, (in.mode() & 2) != 0 ? mask.length : Math.max(base.length, mask.length));
        for (int i = 0; i < Math.min(out.length, mask.length); i++) {
            out[i] ^= mask[i];
        }
        return out;
    }

    /**
     * A new pair of the variant, whose client talks to a server address it has never used: a
     * client context resumes by address, and an input must not depend on the ones before it
     * (libFuzzer replays inputs in any order), so every handshake is a full one.
     */
    static Pair start(Variant v) {
        RecordingListener c = new RecordingListener();
        RecordingListener s = new RecordingListener();
        int port = 1024 + (int) (PORTS.getAndIncrement() % 60_000);
        long started = System.nanoTime();
        DtlsContext clientContext = v.provider().newContext(v.clientConfig());
        CLIENT_CONTEXT_NANOS.addAndGet(System.nanoTime() - started);
        DtlsSession client = clientContext.newClientSession(new InetSocketAddress(SessionPair.SERVER_ADDRESS.getAddress(), port), c);
        DtlsSession server = v.server().newServerSession(SessionPair.CLIENT_ADDRESS, s);
        server.beginHandshake();
        client.beginHandshake();
        return new Pair(clientContext, client, c, server, s);
    }

    /**
     * Gives the server the fuzzed datagram and checks the contract for bad input.
     *
     * @return whether the server dropped it, counted it and answered nothing
     */
    private static boolean feed(Input in, DtlsSession server, RecordingListener events, byte[] datagram) {
        DtlsSessionState before = server.state();
        long dropped = server.droppedDatagrams();
        int sent = events.sent().size();
        receive(server, datagram, in);
        long droppedAfter = server.droppedDatagrams();
        require(droppedAfter >= dropped, in, "droppedDatagrams() fell from " + dropped + " to " + droppedAfter);
        if (!before.isTerminal() && !wellFramed(in.variant(), datagram)) {
            require(droppedAfter == dropped + 1, in, "a datagram that is not well framed was not counted once in"
                    + " droppedDatagrams() (" + dropped + " -> " + droppedAfter + ")");
        }
        require(events.failureCount() <= 1 && events.completions() <= 1, in,
                "the listener was told more than once: " + events.failures() + ", " + events.completions() + " completions");
        require(server.state() != DtlsSessionState.FAILED || events.failureCount() == 1, in,
                "the session failed without telling its listener");
        return droppedAfter > dropped && events.sent().size() == sent && server.state() == before;
    }

    /** A datagram the server dropped without a word must leave the real handshake able to complete. */
    private void requireCompletesIfIgnored(Input in, Pair p, List<byte[]> real, boolean ignored) {
        deliver(real, p.server(), in.variant());
        if (!ignored) {
            pump(p, in.variant());
            return;
        }
        pumpHandshake(p, in.variant());
        require(p.server().state() == DtlsSessionState.ESTABLISHED && p.client().state() == DtlsSessionState.ESTABLISHED,
                in, "the server dropped the fuzzed datagram, yet the real handshake did not complete (server "
                        + p.server().state() + ", client " + p.client().state() + ", " + p.serverEvents().failures() + ")");
    }

    /** Carries datagrams both ways until neither side has anything to send now. */
    static void pump(Pair p, Variant v) {
        pumpUntil(p, v, () -> false, 0);
    }

    /** Carries datagrams both ways until the handshake has ended one way or the other. */
    static void pumpHandshake(Pair p, Variant v) {
        pumpUntil(p, v, () -> settled(p.server()) && settled(p.client()), HANDSHAKE_MILLIS);
    }

    /**
     * Carries datagrams both ways until {@code done}, or, once nothing moves, until
     * {@code waitMillis} have passed: a backend may answer from its own threads (BouncyCastle).
     */
    private static void pumpUntil(Pair p, Variant v, BooleanSupplier done, long waitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        int rounds = 0;
        while (rounds < 10 * MAX_ROUNDS && !done.getAsBoolean()) {
            List<byte[]> toServer = drain(p.clientEvents());
            List<byte[]> toClient = drain(p.serverEvents());
            if (toServer.isEmpty() && toClient.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    return;
                }
                awaitAny(p.clientEvents(), p.serverEvents());
                continue;
            }
            rounds++;
            deliver(toServer, p.server(), v);
            deliver(toClient, p.client(), v);
        }
    }

    private static boolean settled(DtlsSession s) {
        return s.state() == DtlsSessionState.ESTABLISHED || s.state().isTerminal();
    }

    /** Waits a little for either side to send something, and puts it back for the next drain. */
    private static void awaitAny(RecordingListener a, RecordingListener b) {
        try {
            byte[] d = a.outbox().poll(2, TimeUnit.MILLISECONDS);
            if (d != null) {
                a.outbox().add(d);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What {@code events} sent, waiting up to {@code millis} for the first datagram. */
    private static List<byte[]> drainAwaiting(RecordingListener events, long millis) {
        List<byte[]> out = new ArrayList<>();
        try {
            byte[] first = events.outbox().poll(millis, TimeUnit.MILLISECONDS);
            if (first != null) {
                out.add(first);
                byte[] more;
                while ((more = events.outbox().poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    out.add(more);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return out;
    }

    private static void deliver(List<byte[]> datagrams, DtlsSession to, Variant v) {
        for (byte[] d : datagrams) {
            receive(to, d, new Input(v, 0, d));
        }
    }

    private static void receive(DtlsSession session, byte[] datagram, Input in) {
        try {
            session.receive(ByteBuffer.wrap(datagram));
        } catch (RuntimeException | Error e) {
            throw new AssertionError(session.role() + " session's receive threw " + e + " (" + describe(in) + ")", e);
        }
    }

    private static List<byte[]> drain(RecordingListener events) {
        List<byte[]> out = new ArrayList<>();
        events.outbox().drainTo(out);
        return out;
    }

    private static boolean startsWithClientHello(List<byte[]> datagrams) {
        return !datagrams.isEmpty() && datagrams.stream()
                .allMatch(d -> DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(d), 0) == DtlsRecords.CLIENT_HELLO);
    }

    private static boolean wellFramed(Variant v, byte[] datagram) {
        return v.cursor().reset(ByteBuffer.wrap(datagram)).count(0xff, 0xffff) > 0;
    }

    private byte[] probe() {
        return ("fuzz probe " + probes++).getBytes(StandardCharsets.US_ASCII);
    }

    private static void require(boolean condition, Input in, String what) {
        if (!condition) {
            throw new AssertionError(what + " (" + describe(in) + ")");
        }
    }

    private static String describe(Input in) {
        return in.variant().name() + ", mode " + in.mode() + ", " + in.bytes().length + " bytes";
    }

    /**
     * Runs one input of {@code target} on the worker, then fails it if it left anything behind
     * ({@link ResourceGrowth#after}).
     */
    private void runInput(String target, Input in, byte[] input, Runnable body) {
        long started = System.nanoTime();
        growth.before();
        run(body);
        Set<DtlsSession> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair p : established) {
            if (p != null) {
                kept.add(p.client());
                kept.add(p.server());
            }
        }
        growth.after(target + ", " + describe(in), kept);
        inputNanos += System.nanoTime() - started;
    }

    /** Runs one input on the worker; a hang fails it and gets a fresh worker for the next. */
    private void run(Runnable input) {
        run(input, Duration.ofSeconds(DEADLINE_SECONDS), "one fuzz input");
    }

    private void run(Runnable input, Duration deadline, String what) {
        Future<?> f = worker.submit(input);
        try {
            f.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            Arrays.fill(established, null);
            growth.abandoned();
            throw new AssertionError(what + " took more than " + deadline + ": a hang");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError("the fuzz harness failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dtls4j-session-fuzzer");
            t.setDaemon(true);
            return t;
        });
    }
}
