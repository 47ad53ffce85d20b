package org.dtls4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.PeerVerification;

/**
 * The client side of {@link ManySessions}, run in a process of its own so that the server's
 * figures are the server's: completes {@code count} handshakes with the server, each from its
 * own address and port, and leaves every session live on the server. A client's address is
 * {@code 127.1.x.y} and its port one of {@link #PORTS} fixed ones, so that no two clients of a
 * run share a 4-tuple (the server keys a session by it) and a port freed by a finished client
 * is never taken by the next. Once its handshake completes, a client frees its own session
 * without sending close_notify and closes its socket, so this process stays small and needs
 * few descriptors: the server keeps the session until its idle timeout.
 *
 * <p>Prints {@code done <completed> <failed> <seconds>} on its last line.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.SessionLoadClients PROVIDER SERVER_PORT COUNT [IN_FLIGHT]</pre>
 */
public final class SessionLoadClients {

    /** Ports each client address uses, from 20000: 100 x 62,500 addresses is far beyond any run. */
    static final int PORTS = 100;
    /** How the last line starts. */
    static final String DONE = "done ";

    private SessionLoadClients() {
    }

    public static void main(String[] args) throws Exception {
        String provider = args[0];
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        // The server's credentials are made in its own process (TckPki is per process): the
        // clients cannot know its CA, and what is measured is the server, so they do not verify.
        DtlsConfig config = MemoryPair.clientConfig().toBuilder().peerVerification(PeerVerification.NONE).build();
        try (DtlsContext context = Dtls.provider(provider).newContext(config);
             Selector selector = Selector.open()) {
            long start = System.nanoTime();
            int[] outcome = run(context, server, count, inFlight, selector);
            System.out.printf("%s%d %d %.1f%n", DONE, outcome[0], outcome[1], (System.nanoTime() - start) / 1e9);
        }
    }

    /** The local address of client {@code i}. */
    static InetSocketAddress local(int i) throws IOException {
        int host = i / PORTS;
        byte[] a = {127, 1, (byte) (host / 250), (byte) (host % 250 + 1)};
        return new InetSocketAddress(InetAddress.getByAddress(a), 20_000 + i % PORTS);
    }

    private static int[] run(DtlsContext context, InetSocketAddress server, int count, int inFlight, Selector selector)
            throws IOException {
        ByteBuffer in = ByteBuffer.allocateDirect(4096);
        ArrayDeque<Client> live = new ArrayDeque<>();
        int next = 0;
        int completed = 0;
        int failed = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
        while ((next < count || !live.isEmpty()) && System.nanoTime() - deadline < 0) {
            while (next < count && live.size() < inFlight) {
                live.add(new Client(context, server, local(next++), selector));
            }
            receiveReady(selector, in);
            long now = System.nanoTime();
            for (Iterator<Client> it = live.iterator(); it.hasNext(); ) {
                Client c = it.next();
                if (!c.ended && c.session.nextTimeout() - now <= 0) {
                    c.session.handleTimeout();
                }
                if (c.ended) {
                    it.remove();
                    completed += c.established ? 1 : 0;
                    failed += c.established ? 0 : 1;
                    c.release();
                }
            }
        }
        return new int[] {completed, failed + live.size()};
    }

    /** A client whose key's attachment it is: its session takes what its channel receives until it has ended. */
    interface Receiver {
        DtlsSession session();

        boolean ended();
    }

    /**
     * Waits at most 5 ms for datagrams, then gives every datagram waiting on a ready channel to
     * the session of the {@link Receiver} attached to its key.
     *
     * @return how many datagrams it gave
     */
    static int receiveReady(Selector selector, ByteBuffer in) throws IOException {
        int received = 0;
        selector.select(5);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Receiver r = (Receiver) key.attachment();
            in.clear();
            while (!r.ended() && ((DatagramChannel) key.channel()).receive(in) != null) {
                in.flip();
                r.session().receive(in);
                in.clear();
                received++;
            }
        }
        return received;
    }

    private static boolean reportedFailure;

    /** One client: its socket and session. */
    private static final class Client implements DtlsSessionListener, Receiver {
        final DatagramChannel channel;
        final DtlsSession session;
        boolean ended;
        boolean established;
        /** Set once the session is being freed: what it sends then (close_notify) stays here. */
        private boolean muted;

        Client(DtlsContext context, InetSocketAddress server, InetSocketAddress local, Selector selector) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(local);
            channel.connect(server);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, this);
            session = context.newClientSession(server, this);
            session.beginHandshake();
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
            if (muted) {
                return; // the close_notify of release(): the server keeps its session
            }
            try {
                channel.write(datagram);
            } catch (IOException e) {
                ended = true;
            }
        }

        @Override
        public void onRecord(ByteBuffer record) {
            // the server sends none
        }

        @Override
        public void onHandshakeComplete(DtlsSessionInfo info) {
            established = true;
            ended = true;
        }

        @Override
        public void onFailed(DtlsException e) {
            ended = true;
            if (!reportedFailure) {
                reportedFailure = true;
                System.out.println("first failure: " + e);
            }
        }

        void release() {
            muted = true;
            session.close();
            try {
                channel.close();
            } catch (IOException e) {
                // closing a datagram socket fails only if it is already closed
            }
        }
    }
}
