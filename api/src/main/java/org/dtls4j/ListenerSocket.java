package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Queue;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.TransportConnectionIds;

/**
 * One of a {@link DtlsServer}'s sockets and the thread that reads it: reads each datagram and
 * gives it to the socket's {@link PeerDispatch}, which finds its session (by connection ID,
 * then by address) or hands it to the socket's {@link FrontDoor}, and starts the sessions whose
 * cookie verifies.
 *
 * <p>A session started here is driven by this socket's loop and answers from this socket,
 * so a datagram that arrives on its session's own socket is received on the reading thread
 * itself: no copy, no queue, no lock but the session's own (uncontended) one. Only a datagram
 * whose session another loop drives is copied and handed over ({@link Counter#HANDOFFS}).
 *
 * <p>Not thread-safe: everything but construction runs on the socket's own loop.
 */
final class ListenerSocket {

    private static final System.Logger LOG = System.getLogger(ListenerSocket.class.getName());
    private static final int READ_BATCH = 64;

    /** What all of a listener's sockets share: one session table, one CID table, one set of cookies and counters. */
    record Shared(DtlsContext context, TransportOptions options, DtlsConnectionHandler handler, Counters counters,
                  ServerPeers peers, ConnectionIdRoutes<PeerConnection> routes, TransportConnectionIds issuer,
                  ListenerCookies cookies, boolean acceptsDtls13) {

        /**
         * A listener's shared state for {@code context}: its peer table (handing established
         * connections to {@code accepted}, or null when {@code handler} takes them), CID routes and cookies.
         *
         * @throws DtlsConfigurationException if the context's connection IDs are too short for
         *         {@link TransportOptions#maxSessions()} sessions
         */
        static Shared create(DtlsContext context, TransportOptions options, DtlsConnectionHandler handler,
                             Counters counters, Queue<PeerConnection> accepted) {
            boolean acceptsDtls13 = context.config().protocolVersions().contains(ProtocolVersion.DTLS_1_3);
            int idLength = context.config().connectionIdLength().orElse(0);
            DtlsServer.requireRoomForSessions(idLength, options.maxSessions());
            DtlsServer.requireClientsAskedForTrustedKeys(context.config());
            ConnectionIdRoutes<PeerConnection> routes = new ConnectionIdRoutes<>(idLength, acceptsDtls13);
            TransportConnectionIds issuer = routes.enabled() && context instanceof TransportConnectionIds t ? t : null;
            ServerPeers peers = new ServerPeers(routes, counters, accepted, options);
            return new Shared(context, options, handler, counters, peers, routes, issuer, ListenerCookies.of(context),
                    acceptsDtls13);
        }
    }

    private final Shared shared;
    private final DatagramChannel channel;
    private final EventLoop loop;
    private final PeerDispatch dispatch;
    private final ByteBuffer in;

    ListenerSocket(Shared shared, DatagramChannel channel, EventLoop loop, EventLoop[] sessionLoops) {
        this.shared = shared;
        this.channel = channel;
        this.loop = loop;
        this.dispatch = new PeerDispatch(shared, channel::send, loop, sessionLoops);
        this.in = ByteBuffer.allocateDirect(Math.max(2048, shared.context().config().maxDatagramSize() + 512));
    }

    /** Starts reading the socket on its loop. */
    void start() {
        loop.register(channel, key -> readAll());
    }

    DatagramChannel channel() {
        return channel;
    }

    private void readAll() {
        Counters counters = shared.counters();
        for (int i = 0; i < READ_BATCH; i++) {
            in.clear();
            SocketAddress from;
            try {
                from = channel.receive(in);
            } catch (PortUnreachableException e) {
                counters.drop(DropReason.ICMP);
                continue;
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "receive failed on " + channel, e);
                }
                return;
            }
            if (from == null) {
                return;
            }
            in.flip();
            dispatch.dispatch(in, (InetSocketAddress) from);
        }
    }
}
