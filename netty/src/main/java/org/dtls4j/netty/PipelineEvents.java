package org.dtls4j.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsException;

/**
 * A DTLS handler's connections and records, into its pipeline: each record as a
 * {@link DatagramPacket} from the peer (the next handlers own it), each connection's start and
 * end as a {@link DtlsPeerEvent}. Called on the event loop, or (a provider's handshake thread)
 * handed to it; not thread-safe otherwise.
 */
final class PipelineEvents implements DtlsConnectionHandler {

    private final ChannelHandlerContext ctx;
    private final BooleanSupplier inRead;
    private final Consumer<DtlsConnection> connected;

    /**
     * @param inRead whether the handler is inside its channelRead (then its read complete follows)
     * @param connected told of each connection whose handshake completed, before the event fires
     */
    PipelineEvents(ChannelHandlerContext ctx, BooleanSupplier inRead, Consumer<DtlsConnection> connected) {
        this.ctx = ctx;
        this.inRead = inRead;
        this.connected = connected;
    }

    @Override
    public void onConnected(DtlsConnection connection) {
        connected.accept(connection);
        fire(new DtlsPeerEvent(DtlsPeerEvent.Kind.CONNECTED, connection, Optional.empty()));
    }

    @Override
    public void onRecord(DtlsConnection connection, ByteBuffer record) {
        DatagramPacket packet = new DatagramPacket(Buffers.copyOf(ctx.alloc(), record),
                (InetSocketAddress) ctx.channel().localAddress(), connection.peerAddress());
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> {
                ctx.fireChannelRead(packet);
                ctx.fireChannelReadComplete();
            });
            return;
        }
        ctx.fireChannelRead(packet);
        if (!inRead.getAsBoolean()) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void onClosed(DtlsConnection connection) {
        fire(new DtlsPeerEvent(DtlsPeerEvent.Kind.CLOSED, connection, Optional.empty()));
    }

    @Override
    public void onFailed(DtlsConnection connection, DtlsException failure) {
        fire(new DtlsPeerEvent(DtlsPeerEvent.Kind.FAILED, connection, Optional.of(failure)));
    }

    private void fire(DtlsPeerEvent event) {
        if (ctx.executor().inEventLoop()) {
            ctx.fireUserEventTriggered(event);
        } else {
            ctx.executor().execute(() -> ctx.fireUserEventTriggered(event));
        }
    }
}
