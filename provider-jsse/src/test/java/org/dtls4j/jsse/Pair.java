package org.dtls4j.jsse;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;

/**
 * Two JSSE sessions wired back to back by a single-threaded loop: datagrams go into a FIFO,
 * timers fire when the loop has nothing else to do. Time is virtual by default (the loop
 * jumps to the next deadline, so a 60-second handshake timeout costs nothing); a real-time
 * pair parks until the deadline instead.
 *
 * <p>Every datagram is recorded with its send time, side and fate (the TCK's
 * {@link WireEvent}), for tests that check the wire; each side's events are the TCK's
 * {@link RecordingListener}. A filter decides which datagrams are lost.
 *
 * <p>Why this is not the TCK's {@link org.dtls4j.tck.SessionPair}: that one runs on real
 * time, on its own loop thread. These tests check JSSE's retransmission schedule to the
 * nanosecond and let 60-second timeouts pass in no time, which needs the contexts on a
 * virtual clock ({@link JsseContext#create(String, DtlsConfig, LongSupplier)}) and the
 * test thread driving the loop. Not thread-safe: one test thread.
 */
final class Pair implements AutoCloseable {

    /** Decides the fate of each datagram; true means lost. */
    interface Filter {
        boolean lose(Side from, byte[] datagram);
    }

    static final InetSocketAddress SERVER_ADDRESS = InetSocketAddress.createUnresolved(TckPki.SERVER_NAME, 4433);
    static final InetSocketAddress CLIENT_ADDRESS = address(new byte[] {(byte) 192, 0, 2, 7}, 50_007);

    /** Virtual time, which a test may share between pairs over the same contexts. */
    static final class VirtualClock implements LongSupplier {
        private long now = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    private final boolean virtualTime;
    private final VirtualClock virtualClock;
    final LongSupplier clock;
    final JsseContext clientContext;
    final JsseContext serverContext;
    final End client;
    final End server;
    private final List<WireEvent> wire = new ArrayList<>();
    private final Deque<Packet> inFlight = new ArrayDeque<>();
    private Filter filter = (from, bytes) -> false;
    /** Seeded duplication and reordering, or null for none. */
    private java.util.Random chaos;
    private double duplication;
    private double reordering;
    /** Sees every datagram for the server while the server has no session; true: consumed. */
    private Predicate<byte[]> serverGate;

    private record Packet(Side to, byte[] bytes) {
    }

    /** Whether {@link #close()} closes the contexts: not when the caller shares them between pairs. */
    private final boolean ownsContexts;

    private Pair(DtlsConfig clientConfig, DtlsConfig serverConfig, boolean virtualTime, boolean lazyServer) {
        this.virtualTime = virtualTime;
        this.virtualClock = new VirtualClock();
        this.clock = virtualTime ? virtualClock : System::nanoTime;
        clientContext = JsseContext.create("jsse", clientConfig, clock);
        serverContext = JsseContext.create("jsse", serverConfig, clock);
        ownsContexts = true;
        client = new End(Side.CLIENT);
        server = new End(Side.SERVER);
        client.session = clientContext.newClientSession(SERVER_ADDRESS, client);
        if (!lazyServer) {
            server.session = serverContext.newServerSession(CLIENT_ADDRESS, server);
        }
    }

    /** A pair on {@code clock} over contexts the caller owns and may share between pairs. */
    private Pair(JsseContext clientContext, JsseContext serverContext, VirtualClock clock, boolean lazyServer) {
        this.virtualTime = true;
        this.virtualClock = clock;
        this.clock = clock;
        this.clientContext = clientContext;
        this.serverContext = serverContext;
        ownsContexts = false;
        client = new End(Side.CLIENT);
        server = new End(Side.SERVER);
        client.session = clientContext.newClientSession(SERVER_ADDRESS, client);
        if (!lazyServer) {
            server.session = serverContext.newServerSession(CLIENT_ADDRESS, server);
        }
    }

    /** A pair on virtual time. */
    static Pair of(DtlsConfig clientConfig, DtlsConfig serverConfig) {
        return new Pair(clientConfig, serverConfig, true, false);
    }

    /** A pair on {@link System#nanoTime()}: the loop parks until each deadline. */
    static Pair realTime(DtlsConfig clientConfig, DtlsConfig serverConfig) {
        return new Pair(clientConfig, serverConfig, false, false);
    }

    /**
     * A pair over the caller's contexts, which {@link #close()} leaves open: a second pair
     * over the same contexts can resume the first one's session. The contexts must have
     * been created on {@code clock}, which the pair advances.
     */
    static Pair over(JsseContext clientContext, JsseContext serverContext, VirtualClock clock) {
        return new Pair(clientContext, serverContext, clock, false);
    }

    /** {@link #withGate(DtlsConfig, DtlsConfig, Predicate)} over the caller's contexts, as {@link #over}. */
    static Pair withGate(JsseContext clientContext, JsseContext serverContext, VirtualClock clock,
                         Predicate<byte[]> gate) {
        Pair p = new Pair(clientContext, serverContext, clock, true);
        p.serverGate = gate;
        return p;
    }

    /**
     * A pair whose server session does not exist yet: {@code gate} sees the client's
     * datagrams first and may create it with {@link #createServerSession()}.
     */
    static Pair withGate(DtlsConfig clientConfig, DtlsConfig serverConfig, Predicate<byte[]> gate) {
        Pair p = new Pair(clientConfig, serverConfig, true, true);
        p.serverGate = gate;
        return p;
    }

    /** Creates the server session (for a gated pair) and starts it. */
    DtlsSession createServerSession() {
        server.session = serverContext.newServerSession(CLIENT_ADDRESS, server);
        server.session.beginHandshake();
        return server.session;
    }

    Pair filter(Filter f) {
        this.filter = f;
        return this;
    }

    /** Duplicates and reorders delivered datagrams with these probabilities, drawn from {@code random}. */
    Pair chaos(java.util.Random random, double duplicationProbability, double reorderingProbability) {
        this.chaos = random;
        this.duplication = duplicationProbability;
        this.reordering = reorderingProbability;
        return this;
    }

    Pair start() {
        client.session.beginHandshake();
        if (server.session != null) {
            server.session.beginHandshake();
        }
        return this;
    }

    long now() {
        return clock.getAsLong();
    }

    List<WireEvent> wire() {
        return wire;
    }

    List<WireEvent> wire(Side from) {
        return wire.stream().filter(w -> w.from() == from).toList();
    }

    /** Puts a datagram on the way to {@code to}, as if the network carried it. */
    void inject(Side to, byte[] datagram) {
        inFlight.add(new Packet(to, datagram.clone()));
    }

    /**
     * Runs the loop until {@code done}, or until nothing is in flight and no timer is armed,
     * or until {@code limit} has passed.
     *
     * @return whether {@code done} became true
     */
    boolean runUntil(BooleanSupplier done, Duration limit) {
        long deadline = now() + limit.toNanos();
        for (int steps = 0; steps < 1_000_000; steps++) {
            if (done.getAsBoolean()) {
                return true;
            }
            Packet p = inFlight.poll();
            if (p != null) {
                deliver(p);
                continue;
            }
            long next = Math.min(nextTimeout(client), nextTimeout(server));
            if (next == DtlsSession.NO_TIMEOUT || next - deadline > 0) {
                return done.getAsBoolean();
            }
            long wait = next - now();
            if (wait > 0) {
                if (virtualTime) {
                    virtualClock.now = next;
                } else {
                    LockSupport.parkNanos(wait); // the loop's own timer: nothing else can happen before it
                    continue;
                }
            }
            fire(client);
            fire(server);
        }
        throw new AssertionError("the loop did not settle\n" + describe());
    }

    /** Runs until nothing is in flight and no timer is due within {@code limit}. */
    void settle(Duration limit) {
        runUntil(() -> inFlight.isEmpty() && Math.min(nextTimeout(client), nextTimeout(server)) - now() > limit.toNanos(),
                limit);
    }

    void awaitEstablished() {
        if (!runUntil(() -> client.established().isDone() && server.established().isDone(), Duration.ofSeconds(60))) {
            throw new AssertionError("the handshake did not complete\n" + describe());
        }
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        b.append("client: ").append(client).append('\n').append("server: ").append(server).append('\n');
        long start = wire.isEmpty() ? 0 : wire.get(0).nanos();
        for (WireEvent w : wire) {
            b.append(String.format("  %8.1f ms %s%n", (w.nanos() - start) / 1e6, w));
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (client.session != null) {
            client.session.close();
        }
        if (server.session != null) {
            server.session.close();
        }
        if (ownsContexts) {
            clientContext.close();
            serverContext.close();
        }
    }

    private void deliver(Packet p) {
        End to = p.to == Side.CLIENT ? client : server;
        if (to.session == null) {
            if (serverGate != null && serverGate.test(p.bytes)) {
                return;
            }
            if (to.session == null) {
                return;
            }
        }
        to.session.receive(ByteBuffer.wrap(p.bytes).asReadOnlyBuffer());
    }

    private static long nextTimeout(End end) {
        return end.session == null ? DtlsSession.NO_TIMEOUT : end.session.nextTimeout();
    }

    private void fire(End end) {
        if (end.session != null && end.session.nextTimeout() - now() <= 0) {
            end.session.handleTimeout();
        }
    }

    private static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One side's session and everything its listener saw; its datagrams go into the loop's FIFO. */
    final class End extends RecordingListener {
        final Side side;
        DtlsSession session;

        End(Side side) {
            this.side = side;
        }

        void send(byte[] record) {
            session.send(ByteBuffer.wrap(record));
        }

        /** The first failure reported, or null. */
        DtlsException failure() {
            return failed().getNow(null);
        }

        @Override
        protected void route(byte[] bytes) {
            boolean lost = filter.lose(side, bytes);
            if (lost) {
                wire.add(new WireEvent(now(), side, bytes, WireEvent.Fate.FILTERED));
                return;
            }
            Packet packet = new Packet(side.peer(), bytes);
            WireEvent.Fate fate = WireEvent.Fate.DELIVERED;
            if (chaos != null && chaos.nextDouble() < reordering && !inFlight.isEmpty()) {
                Packet overtaken = inFlight.pollLast();
                inFlight.add(packet);
                inFlight.add(overtaken);
                fate = WireEvent.Fate.REORDERED;
            } else {
                inFlight.add(packet);
            }
            if (chaos != null && chaos.nextDouble() < duplication) {
                inFlight.add(packet);
                fate = WireEvent.Fate.DUPLICATED;
            }
            wire.add(new WireEvent(now(), side, bytes, fate));
        }

        @Override
        public String toString() {
            return (session == null ? "no session" : session.state() + " dropped=" + session.droppedDatagrams())
                    + " records=" + records().size() + (info().isEmpty() ? "" : " " + info().get())
                    + (failures().isEmpty() ? "" : " failed: " + failures());
        }
    }
}
