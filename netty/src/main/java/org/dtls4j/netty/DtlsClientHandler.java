package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.dtls4j.DatagramConnection;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.TransportOptions;

/**
 * A DTLS client on a connected Netty {@code DatagramChannel}: one session with the channel's
 * remote address, started when the channel becomes active, its timers on the channel's event
 * loop ({@link DatagramConnection}).
 *
 * <p>Inbound, it takes the channel's {@link DatagramPacket}s (and releases them); each decrypted
 * record goes down the pipeline as a {@link DatagramPacket} from the server, which handlers
 * after this one own and release. The handshake's end and the connection's end go down as
 * {@link DtlsPeerEvent} user events, and complete {@link #handshake()}.
 *
 * <p>Outbound, a {@link ByteBuf} or a {@link DatagramPacket} written once the handshake has
 * completed is protected as one record and sent as one datagram; its buffer is released. A write
 * before then fails ({@link IllegalStateException}), as one after the end does
 * ({@link org.dtls4j.DtlsClosedException}): nothing leaves unprotected.
 *
 * <p>Not thread-safe and not {@code @Sharable}: one instance per channel, called on its event loop.
 *
 * @since 0.1
 */
public final class DtlsClientHandler extends DatagramDtlsHandler {

    private final DtlsContext context;
    private final TransportOptions options;
    private final CompletableFuture<DtlsConnection> handshake = new CompletableFuture<>();
    private DatagramConnection connection;

    /**
     * A client handler with the default {@link TransportOptions}.
     *
     * @param context the context whose client session the handler makes
     */
    public DtlsClientHandler(DtlsContext context) {
        this(context, TransportOptions.defaults());
    }

    /**
     * A client handler with explicit timeouts.
     *
     * @param context the context whose client session the handler makes
     * @param options timeouts (idle)
     */
    public DtlsClientHandler(DtlsContext context, TransportOptions options) {
        this.context = Objects.requireNonNull(context, "context");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Completes with the connection when the handshake does, or fails with the handshake's failure.
     *
     * @return the handshake's outcome
     */
    public CompletableFuture<DtlsConnection> handshake() {
        return handshake.copy();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (connection == null) {
            start();
        }
        ctx.fireChannelActive();
    }

    private void start() {
        if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress server)) {
            handshake.completeExceptionally(new IllegalStateException(
                    "a DtlsClientHandler needs a connected DatagramChannel: connect it to the server first"));
            return;
        }
        connection = DatagramConnection.open(context, server, options, events(handshake::complete), this::output,
                ctx.channel().eventLoop(), ctx.channel().eventLoop()::inEventLoop);
        connection.handshake().whenComplete((info, failure) -> {
            if (failure != null) {
                handshake.completeExceptionally(failure);
            }
        });
    }

    @Override
    boolean receive(ByteBuffer datagram, InetSocketAddress from) {
        if (connection == null) {
            return false;
        }
        connection.receive(datagram);
        return true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ByteBuf content = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
        if (content == null) {
            refuse(msg, promise, new IllegalArgumentException("a DtlsClientHandler writes ByteBufs or"
                    + " DatagramPackets, not " + msg.getClass().getName()));
        } else if (connection == null) {
            refuse(msg, promise, new IllegalStateException("the channel is not connected yet"));
        } else {
            protect(connection.connection(), content, msg, promise);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (connection != null) {
            connection.close(); // close_notify, while the channel can still send it
            ctx.flush();
        }
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.close();
        }
        handshake.completeExceptionally(new org.dtls4j.DtlsClosedException("the channel closed"));
        ctx.fireChannelInactive();
    }
}
