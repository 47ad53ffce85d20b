package org.dtls4j.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.dtls4j.DatagramListener;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;

/**
 * A DTLS server on a Netty {@code DatagramChannel}: many peers on one channel, through the
 * same listener as {@link org.dtls4j.DtlsServer} ({@link DatagramListener}), run on the
 * channel's event loop.
 *
 * <p>Inbound, it takes the channel's {@link DatagramPacket}s (and releases them): a ClientHello
 * without a valid cookie is answered statelessly from the context's
 * {@link org.dtls4j.CookieAuthority}, nothing kept; a peer's datagrams go to its session. Each
 * decrypted record goes down the pipeline as a {@link DatagramPacket} whose sender is the peer
 * (and whose recipient is the channel's address); handlers after this one own and release it.
 * Connections made and ended go down as {@link DtlsPeerEvent} user events. Every session's timers
 * (retransmission, idle and handshake timeouts) run on the event loop.
 *
 * <p>Outbound, a {@link DatagramPacket} written to a peer's address is protected as one record
 * of that peer's connection and sent as one datagram; its buffer is released, and its promise
 * fails with {@link DtlsClosedException} where no connection is at that address. Anything else
 * written fails with {@link IllegalArgumentException}: nothing leaves unprotected.
 *
 * <p>Backpressure: what the application writes is always queued, so the channel's writability
 * (its write buffer water marks) is the application's signal, as on any Netty channel; while the
 * channel is not writable, datagrams the listener sends on its own (cookie answers, handshake
 * flights, retransmissions) are dropped and counted ({@code SEND_BUFFER_FULL}), as a full UDP
 * send buffer drops them, so a flood of handshakes cannot grow the write queue. Reading stops
 * where the application turns {@code autoRead} off.
 *
 * <p>Not thread-safe and not {@code @Sharable}: one instance per channel, called on its event loop.
 *
 * @since 0.1
 */
public final class DtlsServerHandler extends DatagramDtlsHandler {

    private final DtlsContext context;
    private final TransportOptions options;
    private DatagramListener listener;

    /**
     * A server handler with the default {@link TransportOptions}.
     *
     * @param context the context whose server sessions the handler makes
     */
    public DtlsServerHandler(DtlsContext context) {
        this(context, TransportOptions.defaults());
    }

    /**
     * A server handler with explicit limits and timeouts.
     *
     * @param context the context whose server sessions the handler makes
     * @param options limits and timeouts; {@code ioThreads} must be 1 (the channel's event loop is the one thread)
     * @throws org.dtls4j.DtlsConfigurationException if {@code options} asks for more than one I/O thread
     */
    public DtlsServerHandler(DtlsContext context, TransportOptions options) {
        this.context = Objects.requireNonNull(context, "context");
        this.options = Objects.requireNonNull(options, "options");
        if (options.ioThreads() != 1) {
            throw new org.dtls4j.DtlsConfigurationException("a DtlsServerHandler runs on its channel's event loop,"
                    + " but the options ask for ioThreads(" + options.ioThreads() + "): use TransportOptions"
                    + " ioThreads(1), and more channels (epoll's SO_REUSEPORT) for more threads");
        }
    }

    /**
     * The listener's counters over all its connections, or empty before the channel is registered.
     *
     * @return a snapshot of the counters
     */
    public Optional<TransportStats> stats() {
        DatagramListener l = listener;
        return l == null ? Optional.empty() : Optional.of(l.stats());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        if (ctx.channel().isRegistered()) {
            open();
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (listener == null) {
            open();
        }
        ctx.fireChannelRegistered();
    }

    private void open() {
        listener = DatagramListener.open(context, options, events(connection -> { }), this::output,
                ctx.channel().eventLoop(), ctx.channel().eventLoop()::inEventLoop);
    }

    @Override
    boolean receive(ByteBuffer datagram, InetSocketAddress from) {
        listener.receive(datagram, from);
        return true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet)) {
            refuse(msg, promise, new IllegalArgumentException("a DtlsServerHandler writes DatagramPackets to its"
                    + " peers, not " + msg.getClass().getName()));
            return;
        }
        DtlsConnection connection = listener.connection(packet.recipient()).orElse(null);
        if (connection == null) {
            refuse(msg, promise, new DtlsClosedException("no DTLS connection with " + packet.recipient()));
            return;
        }
        protect(connection, packet.content(), msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeListener();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closeListener();
    }

    private void closeListener() {
        if (listener != null) {
            listener.close();
        }
    }
}
