package org.dtls4j.tck;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.net.InMemoryLink;
import org.dtls4j.tck.net.Side;

/**
 * A client session and a server session joined by an {@link InMemoryLink}, driven by one
 * event-loop thread the way the UDP transport drives them: every call into a session runs
 * on the loop, datagrams go through the link, and each session's
 * {@link DtlsSession#nextTimeout()} is re-armed after every call.
 *
 * <p>Tests talk to it from their own thread: {@link End#send}, and the futures and queues
 * each {@link End} exposes. Close it (try-with-resources) to release both sessions, both
 * contexts and the loop.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class SessionPair implements AutoCloseable {

    private static final AtomicInteger LOOPS = new AtomicInteger();
    /** The name prefix of the loop threads, so tests can tell them from provider threads. */
    public static final String LOOP_THREAD_PREFIX = "dtls4j-tck-loop-";
    /**
     * The server's address as the client session is told it unless a test says otherwise
     * ({@link SessionPairBuilder#serverAddress}): the loopback address, whose host string is {@code "localhost"}.
     */
    public static final InetSocketAddress SERVER_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
    /** The address every pair's client session is made for, on the server's side. */
    public static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    private final ScheduledExecutorService loop;
    private volatile Thread loopThread;
    private final InMemoryLink link;
    private final Map<Side, End> ends = new EnumMap<>(Side.class);
    private final long seed;
    private final Predicate<byte[]> serverGate;

    SessionPair(SessionPairBuilder b) {
        this.seed = b.seed;
        this.serverGate = b.serverGate;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, LOOP_THREAD_PREFIX + LOOPS.incrementAndGet());
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.loop = executor;
        this.link = new InMemoryLink(loop, b.conditions, b.seed);
        try {
            ends.put(Side.CLIENT, new End(Side.CLIENT, b.clientProvider, b.clientConfig, b.clientContext,
                    b.serverAddress, false));
            ends.put(Side.SERVER, new End(Side.SERVER, b.serverProvider, b.serverConfig, b.serverContext,
                    CLIENT_ADDRESS, b.serverGate != null));
        } catch (RuntimeException e) {
            loop.shutdownNow();
            ends.values().forEach(End::release);
            throw e;
        }
    }

    /**
     * {@return a builder for a pair of {@code provider} sessions on a clean link}
     *
     * @param clientProvider the provider of the client session
     * @param serverProvider the provider of the server session
     */
    public static SessionPairBuilder builder(DtlsProvider clientProvider, DtlsProvider serverProvider) {
        return new SessionPairBuilder(clientProvider, serverProvider);
    }

    /** {@return the client end} */
    public End client() {
        return ends.get(Side.CLIENT);
    }

    /** {@return the server end} */
    public End server() {
        return ends.get(Side.SERVER);
    }

    /** {@return the link between them} */
    public InMemoryLink link() {
        return link;
    }

    /** {@return the seed of the link's random fates} */
    public long seed() {
        return seed;
    }

    /**
     * Begins both handshakes: the server first, so it is ready for the ClientHello (unless
     * the pair has a {@linkplain SessionPairBuilder#serverGate server gate}, which opens it later).
     *
     * @return this pair
     */
    public SessionPair start() {
        server().onLoop(() -> {
            if (server().session != null) {
                server().session.beginHandshake();
            }
            return null;
        });
        client().onLoop(() -> {
            client().session.beginHandshake();
            return null;
        });
        return this;
    }

    /**
     * Waits until both sides have completed the handshake.
     *
     * @param timeout how long to wait
     * @throws AssertionError with the wire log and any failure if they do not in time
     */
    public void awaitEstablished(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (End end : ends.values()) {
            try {
                CompletableFuture.anyOf(end.established(), end.failed())
                        .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(end.side + " handshake did not complete within " + timeout.toMillis()
                        + " ms (" + end.describeSession() + ")\n" + describe());
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e);
            }
            if (end.failed().isDone()) {
                throw new AssertionError(end.side + " handshake failed: " + end.failed().join() + "\n" + describe(),
                        end.failed().join());
            }
        }
    }

    /**
     * Makes the server session of a pair built with a {@linkplain SessionPairBuilder#serverGate gate}
     * and begins its handshake, on the loop; the gate calls it when a datagram should open
     * the session (and returns false to hand that datagram on to it).
     *
     * @return the server session, its handshake begun
     * @throws IllegalStateException if the server session exists already
     */
    public DtlsSession openServerSession() {
        End server = server();
        return server.onLoop(() -> {
            if (server.session != null) {
                throw new IllegalStateException("the server session is open already");
            }
            DtlsSession s = server.context.newServerSession(CLIENT_ADDRESS, server);
            server.session = s;
            s.beginHandshake();
            return s;
        });
    }

    /** {@return the wire log and seed, for failure messages} */
    public String describe() {
        return "client " + client().describeSession() + ", server " + server().describeSession() + "; to replay, run with -Ddtls4j.tck.seed=" + seed
                + "\n" + link.describe();
    }

    @Override
    public void close() {
        for (End end : ends.values()) {
            try {
                end.onLoop(() -> {
                    if (end.session != null) {
                        end.session.close();
                    }
                    end.cancelTimer();
                    return null;
                });
            } catch (RuntimeException | AssertionError ignored) {
                // closing must release the rest even if one side misbehaves
            }
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (End end : ends.values()) {
            end.release();
        }
    }

    /**
     * One side: its context, its session and what the session reported (a
     * {@link RecordingListener} whose datagrams go over the link).
     *
     * @since 0.1
     */
    public final class End extends RecordingListener {
        private final Side side;
        private final DtlsContext context;
        private final boolean ownsContext;
        /** Made in the constructor, or for a gated server by {@link #openServerSession}; then never changes. */
        private volatile DtlsSession session;
        private ScheduledFuture<?> timer;
        private long armedFor = DtlsSession.NO_TIMEOUT;

        private End(Side side, DtlsProvider provider, DtlsConfig config, DtlsContext shared,
                InetSocketAddress peerAddress, boolean gated) {
            this.side = side;
            this.ownsContext = shared == null;
            this.context = shared != null ? shared : provider.newContext(config);
            if (side == Side.CLIENT) {
                this.session = context.newClientSession(peerAddress, this);
            } else if (!gated) {
                this.session = context.newServerSession(peerAddress, this);
            }
            link.attach(side, datagram -> {
                if (session == null) {
                    byte[] bytes = new byte[datagram.remaining()];
                    datagram.duplicate().get(bytes);
                    if (serverGate.test(bytes) || session == null) {
                        return;
                    }
                }
                session.receive(datagram);
                rearm();
            });
        }

        private String describeSession() {
            DtlsSession s = session;
            return s == null ? "no session yet" : s.state() + ", dropped=" + s.droppedDatagrams();
        }

        private void release() {
            if (ownsContext) {
                context.close();
            }
        }

        /**
         * {@return the session; read its state from any thread, call it only through {@link #onLoop}}
         *
         * @throws IllegalStateException for a gated server whose session is not open yet
         */
        public DtlsSession session() {
            DtlsSession s = session;
            if (s == null) {
                throw new IllegalStateException(side + " session not open yet: the server gate opens it");
            }
            return s;
        }

        /**
         * {@return whether the session exists: always, except for a gated server until the gate opens it}
         */
        public boolean hasSession() {
            return session != null;
        }

        /** {@return the context the session came from} */
        public DtlsContext context() {
            return context;
        }

        /**
         * Sends one record on the loop; rethrows what {@link DtlsSession#send} threw.
         *
         * @param record the application record
         */
        public void send(byte[] record) {
            onLoop(() -> {
                session().send(ByteBuffer.wrap(record));
                return null;
            });
        }

        /** Closes the session on the loop (sends close_notify). */
        public void closeSession() {
            onLoop(() -> {
                session().close();
                return null;
            });
        }

        /**
         * Runs {@code call} on the loop, re-arms the timer, and returns its result or rethrows.
         *
         * @param <T> the call's result type
         * @param call what to run
         * @return what {@code call} returned
         */
        public <T> T onLoop(Callable<T> call) {
            if (Thread.currentThread() == loopThread) {
                try {
                    return call.call();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    rearm();
                }
            }
            try {
                return loop.submit(() -> {
                    try {
                        return call.call();
                    } finally {
                        rearm();
                    }
                }).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } catch (TimeoutException e) {
                throw new AssertionError(side + ": a session call did not return within 10 s (a deadlock or a blocking callback?)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private void rearm() {
            if (session == null) {
                return;
            }
            long deadline = session.nextTimeout();
            if (deadline == armedFor && timer != null && !timer.isDone()) {
                return;
            }
            cancelTimer();
            armedFor = deadline;
            if (deadline == DtlsSession.NO_TIMEOUT || loop.isShutdown()) {
                return;
            }
            long delay = Math.max(0, deadline - System.nanoTime());
            try {
                timer = loop.schedule(() -> {
                    timer = null;
                    armedFor = DtlsSession.NO_TIMEOUT;
                    session.handleTimeout();
                    rearm();
                }, delay, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                // closing
            }
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            armedFor = DtlsSession.NO_TIMEOUT;
        }

        // --- DtlsSessionListener: may be called on the loop or on a provider thread ---

        @Override
        protected void route(byte[] datagram) {
            link.send(side, ByteBuffer.wrap(datagram));
        }

        @Override
        public void onTimeoutChanged() {
            try {
                loop.execute(this::rearm);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                // closing
            }
        }
    }
}
