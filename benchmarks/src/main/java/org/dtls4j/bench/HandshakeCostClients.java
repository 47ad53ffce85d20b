package org.dtls4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.DtlsProvider;

/**
 * The clients of {@link ServerHandshakeCost}, on the calling thread: dtls4j sessions over
 * sockets of their own, driven by one selector, each handshake followed by one echoed record
 * and close_notify. Not thread-safe: one thread drives a run.
 */
final class HandshakeCostClients {

    /** How long one client may take before it counts as failed. */
    private static final long CLIENT_DEADLINE = TimeUnit.SECONDS.toNanos(30);
    /**
     * How long a client waits for its echo before it sends the record again: a record sent right
     * after the client's last flight can be dropped by a server that has not yet processed that
     * flight (Scandium does), and nothing in DTLS resends application data.
     */
    private static final long ECHO_RESEND = TimeUnit.SECONDS.toNanos(1);

    /**
     * Runs {@code count} handshakes against {@code server}, {@link ServerHandshakeCost#IN_FLIGHT} at a time, each
     * with a new context from {@code provider} or one taken from {@code shared}; CPU is filled in
     * by the caller.
     */
    static ServerHandshakeCost.Run drive(DtlsProvider provider, DtlsConfig config, ContextPool shared, InetSocketAddress server,
                             int count) throws IOException {
        long start = System.nanoTime();
        int resentBefore = resends;
        long sentBefore = datagramsSent;
        long received = 0;
        int next = 0;
        int completed = 0;
        int resumed = 0;
        int failed = 0;
        ByteBuffer in = ByteBuffer.allocateDirect(4096);
        ArrayDeque<Client> live = new ArrayDeque<>();
        try (Selector selector = Selector.open()) {
            while (next < count || !live.isEmpty()) {
                while (next < count && live.size() < ServerHandshakeCost.IN_FLIGHT) {
                    live.add(new Client(shared != null ? shared.take() : provider.newContext(config), shared, server, selector));
                    next++;
                }
                received += SessionLoadClients.receiveReady(selector, in);
                long now = System.nanoTime();
                for (Iterator<Client> it = live.iterator(); it.hasNext(); ) {
                    Client c = it.next();
                    c.step(now);
                    if (c.ended) {
                        it.remove();
                        completed += c.echoed ? 1 : 0;
                        resumed += c.echoed && c.resumed ? 1 : 0;
                        failed += c.echoed ? 0 : 1;
                        c.release();
                    }
                }
            }
        }
        return new ServerHandshakeCost.Run(completed, resumed, failed, resends - resentBefore, datagramsSent - sentBefore,
                received, 0, System.nanoTime() - start, Map.of());
    }

    private static boolean reportedFailure;
    /** Records sent again for want of an echo, over the whole run. */
    private static int resends;
    /** Datagrams the clients sent, over the whole run. */
    private static long datagramsSent;

    /** One client: its socket, its session, and how far it got. */
    private static final class Client implements DtlsSessionListener, SessionLoadClients.Receiver {
        private static final byte[] PAYLOAD = new byte[64];
        final DatagramChannel channel;
        final DtlsSession session;
        private final DtlsContext context;
        /** Where the context goes back, or null when the client owns it. */
        private final ContextPool pool;
        private final long started = System.nanoTime();
        boolean ended;
        boolean echoed;
        boolean resumed;
        private boolean established;
        private long sentAt;
        private boolean sent;

        Client(DtlsContext context, ContextPool pool, InetSocketAddress server, Selector selector) throws IOException {
            this.context = context;
            this.pool = pool;
            channel = DatagramChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.connect(server);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, this);
            session = context.newClientSession(server, this);
            session.beginHandshake();
        }

        /** Sends the record once the handshake is done, fires a due timer, and gives up after the deadline. */
        void step(long now) {
            if (ended) {
                return;
            }
            if (established && (!sent || now - sentAt > ECHO_RESEND)) {
                resends += sent ? 1 : 0;
                sent = true;
                sentAt = now;
                session.send(ByteBuffer.wrap(PAYLOAD));
            }
            long t = session.nextTimeout();
            if (t != DtlsSession.NO_TIMEOUT && t - now <= 0) {
                session.handleTimeout();
            }
            if (now - started > CLIENT_DEADLINE) {
                fail("no echo within " + TimeUnit.NANOSECONDS.toSeconds(CLIENT_DEADLINE) + " s");
            }
        }

        @Override
        public DtlsSession session() {
            return session;
        }

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public void onDatagram(ByteBuffer datagram) {
            try {
                channel.write(datagram);
                datagramsSent++;
            } catch (IOException e) {
                fail(e.toString());
            }
        }

        @Override
        public void onRecord(ByteBuffer record) {
            echoed = record.remaining() == PAYLOAD.length;
            ended = true;
        }

        @Override
        public void onHandshakeComplete(DtlsSessionInfo info) {
            established = true;
            resumed = info.resumed();
        }

        @Override
        public void onFailed(DtlsException e) {
            fail(e.toString());
        }

        private void fail(String why) {
            ended = true;
            if (!reportedFailure) {
                reportedFailure = true;
                System.err.println("bench: first failure: " + why);
            }
        }

        /** Sends close_notify (after the echo), frees the session and its socket, and frees or returns the context. */
        void release() {
            session.close();
            try {
                channel.close();
            } catch (IOException e) {
                // closing a datagram socket fails only if it is already closed
            }
            if (pool == null) {
                context.close();
            } else {
                pool.give(context);
            }
        }
    }

    /** {@link ServerHandshakeCost#IN_FLIGHT} client contexts, each used by one connection at a time, so each resumes its own session. */
    static final class ContextPool implements AutoCloseable {
        private final List<DtlsContext> all = new ArrayList<>();
        private final ArrayDeque<DtlsContext> free = new ArrayDeque<>();

        ContextPool(DtlsProvider provider, DtlsConfig config) {
            for (int i = 0; i < ServerHandshakeCost.IN_FLIGHT; i++) {
                all.add(provider.newContext(config));
            }
            free.addAll(all);
        }

        DtlsContext take() {
            return free.remove();
        }

        void give(DtlsContext context) {
            free.add(context);
        }

        @Override
        public void close() {
            all.forEach(DtlsContext::close);
        }
    }

    private HandshakeCostClients() {
    }
}
