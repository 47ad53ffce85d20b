package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dtls4j.TransportStats.Counters;

/**
 * Connects to a DTLS server: one connected UDP socket per connection. The handshake is
 * driven by one shared I/O thread for all client connections of the JVM (started with the
 * first connection and stopped after the last one closes), which also runs the session's
 * timers. Once the handshake is done, the connection's one reader reads the socket itself
 * inside {@link DtlsConnection#receive}, as with a plain UDP socket: no thread hand-off per
 * record, and datagrams wait in the socket until the application receives.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class DtlsClient {

    private static final Object LOCK = new Object();
    private static EventLoop sharedLoop;
    private static int users;

    private DtlsClient() {
    }

    /**
     * Connects and completes the handshake within the configuration's handshake timeout.
     *
     * @param context the context whose provider runs the session
     * @param server the server's address; its host name is the default SNI
     * @return the connection, its handshake completed
     * @throws DtlsAlertException if the handshake failed with an alert
     * @throws DtlsHandshakeTimeoutException if it did not complete in time
     * @throws IOException if the socket cannot be opened
     */
    public static DtlsConnection connect(DtlsContext context, InetSocketAddress server) throws IOException {
        return connect(context, server, context.config().handshakeTimeout());
    }

    /**
     * Connects and completes the handshake within {@code timeout}.
     *
     * @param context the context whose provider runs the session
     * @param server the server's address; its host name is the default SNI
     * @param timeout the longest the handshake may take
     * @return the connection, its handshake completed
     * @throws IOException if the socket cannot be opened
     */
    public static DtlsConnection connect(DtlsContext context, InetSocketAddress server, Duration timeout)
            throws IOException {
        return open(context, server, null, TransportOptions.defaults(), timeout);
    }

    /**
     * Connects with explicit transport options (of which a client uses the idle timeout and
     * the receive queue capacity) and completes the handshake within {@code timeout}.
     *
     * @param context the context whose provider runs the session
     * @param server the server's address; its host name is the default SNI
     * @param options the transport options; the client uses the idle timeout and the receive queue
     *     capacity
     * @param timeout the longest the handshake may take
     * @return the connection, its handshake completed
     * @throws IOException if the socket cannot be opened
     */
    public static DtlsConnection connect(DtlsContext context, InetSocketAddress server, TransportOptions options,
                                         Duration timeout) throws IOException {
        return open(context, server, null, Objects.requireNonNull(options, "options"), timeout);
    }

    /**
     * Connects from a given local address (for example to reuse a port after a restart);
     * {@link #connect(DtlsContext, InetSocketAddress, Duration)} binds an ephemeral one.
     *
     * @param local the local address to bind (with {@code SO_REUSEADDR})
     * @param context the context whose provider runs the session
     * @param server the server's address; its host name is the default SNI
     * @param timeout the longest the handshake may take
     * @return the connection, its handshake completed
     * @throws IOException if the local address cannot be bound
     */
    public static DtlsConnection connect(DtlsContext context, InetSocketAddress server, InetSocketAddress local,
                                         Duration timeout) throws IOException {
        return open(context, server, Objects.requireNonNull(local, "local"), TransportOptions.defaults(), timeout);
    }

    /**
     * Connects from a given local address with explicit transport options; see
     * {@link #connect(DtlsContext, InetSocketAddress, InetSocketAddress, Duration)} and
     * {@link #connect(DtlsContext, InetSocketAddress, TransportOptions, Duration)}.
     *
     * @param context the context whose provider runs the session
     * @param server the server's address; its host name is the default SNI
     * @param local the local address to bind (with {@code SO_REUSEADDR})
     * @param options the transport options; the client uses the idle timeout and the receive queue
     *     capacity
     * @param timeout the longest the handshake may take
     * @return the connection, its handshake completed
     * @throws IOException if the local address cannot be bound
     */
    public static DtlsConnection connect(DtlsContext context, InetSocketAddress server, InetSocketAddress local,
                                         TransportOptions options, Duration timeout) throws IOException {
        return open(context, server, Objects.requireNonNull(local, "local"), Objects.requireNonNull(options, "options"),
                timeout);
    }

    /** @param local the address to bind, or null for an ephemeral one */
    private static DtlsConnection open(DtlsContext context, InetSocketAddress server, InetSocketAddress local,
                                       TransportOptions options, Duration timeout) throws IOException {
        if (server.isUnresolved()) {
            throw new java.net.UnknownHostException("cannot resolve " + server.getHostString());
        }
        boolean v6 = server.getAddress() instanceof java.net.Inet6Address;
        DatagramChannel channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        EventLoop loop = acquire();
        Client client = new Client(loop, channel);
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, local != null);
            if (local != null) {
                channel.bind(local);
            }
            channel.connect(server);
            channel.configureBlocking(false);
            PeerConnection peer = new PeerConnection(loop, channel, true, server, context.config(), client,
                    new Counters(), null, options);
            client.peer = peer;
            peer.attach(context.newClientSession(server, peer.listener()), context.providerName());
            loop.register(channel, key -> client.readAll());
            loop.execute(() -> peer.begin(null));
            peer.handshake.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            // The handshake needed the loop (timers, retransmissions); from now on the one
            // reader the contract allows reads the socket itself, as a plain UDP socket would.
            loop.deregister(channel).get(5, TimeUnit.SECONDS);
            channel.configureBlocking(true);
            peer.readDirectly(channel.socket());
            return peer;
        } catch (ExecutionException e) {
            client.release();
            throw e.getCause() instanceof DtlsException d ? d : new DtlsException("handshake failed", e.getCause());
        } catch (TimeoutException e) {
            client.abandon();
            throw new DtlsHandshakeTimeoutException(timeout);
        } catch (InterruptedException e) {
            client.abandon();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during the handshake");
        } catch (IOException | RuntimeException e) {
            client.abandon();
            throw e;
        }
    }

    private static EventLoop acquire() {
        synchronized (LOCK) {
            if (sharedLoop == null) {
                sharedLoop = new EventLoop("client-io");
            }
            users++;
            return sharedLoop;
        }
    }

    private static void releaseLoop() {
        synchronized (LOCK) {
            if (--users == 0 && sharedLoop != null) {
                sharedLoop.shutdown();
                sharedLoop = null;
            }
        }
    }

    /** One client connection's socket; owns the channel and its share of the loop. */
    private static final class Client implements PeerConnection.Owner {
        final EventLoop loop;
        final DatagramChannel channel;
        final ByteBuffer in = ByteBuffer.allocateDirect(65536);
        volatile PeerConnection peer;
        private boolean released;

        Client(EventLoop loop, DatagramChannel channel) {
            this.loop = loop;
            this.channel = channel;
        }

        void readAll() {
            for (int i = 0; i < 64; i++) {
                in.clear();
                int n;
                try {
                    n = channel.read(in);
                } catch (PortUnreachableException e) {
                    peer.icmpError(); // spoofable: never ends the session
                    continue;
                } catch (IOException e) {
                    return;
                }
                if (n <= 0) {
                    return;
                }
                in.flip();
                peer.receive(in); // counted by the connection
            }
        }

        @Override
        public void established(PeerConnection p) {
        }

        @Override
        public void ended(PeerConnection p, boolean handshakeFailed) {
            release();
        }

        /** Closes the session and the socket after a failed or abandoned connect. */
        void abandon() {
            PeerConnection p = peer;
            if (p != null) {
                p.close();
            }
            release();
        }

        synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            releaseLoop();
        }
    }
}
