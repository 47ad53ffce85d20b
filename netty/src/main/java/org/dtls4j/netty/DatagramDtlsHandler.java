package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.dtls4j.DtlsConnection;

/**
 * What both DTLS handlers do with their channel: datagrams in (read in place, then released),
 * protected datagrams out (queued while reading or writing, flushed after), and records written
 * by the application into a connection.
 *
 * <p>Backpressure: what the application writes is always queued, so the channel's writability
 * is the application's signal; while the channel is not writable, what the sessions send on
 * their own (cookie answers, handshake flights, retransmissions) is dropped and counted, as a
 * full UDP send buffer drops it.
 *
 * <p>Not thread-safe: called on the channel's event loop, but for {@link #output}.
 */
abstract class DatagramDtlsHandler extends ChannelDuplexHandler {

    /** Set when the handler is added, before anything else. */
    ChannelHandlerContext ctx;
    /** Whether this handler is inside channelRead (flush at read complete) or write (the writer flushes). */
    private boolean inRead;
    private boolean inWrite;

    /**
     * Takes one datagram read from the channel, during the call only.
     *
     * @return false if the handler is not ready for it (it then goes on down the pipeline)
     */
    abstract boolean receive(ByteBuffer datagram, InetSocketAddress from);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The pipeline side of the handler's connections, telling {@code connected} of each completed handshake. */
    final PipelineEvents events(Consumer<DtlsConnection> connected) {
        return new PipelineEvents(ctx, () -> inRead, connected);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        inRead = true;
        boolean taken;
        try {
            taken = receive(Buffers.readable(packet.content()), packet.sender());
        } catch (RuntimeException | Error e) {
            packet.release(); // a session's failure must not leak the datagram too
            throw e;
        } finally {
            inRead = false;
        }
        if (taken) {
            packet.release();
        } else {
            ctx.fireChannelRead(packet);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /** Protects {@code content} as one record of {@code connection}, completes the promise, and releases {@code msg}. */
    final void protect(DtlsConnection connection, ByteBuf content, Object msg, ChannelPromise promise) {
        inWrite = true;
        try {
            connection.send(Buffers.readable(content));
            promise.setSuccess();
        } catch (Exception e) {
            promise.setFailure(e);
        } finally {
            inWrite = false;
            ReferenceCountUtil.release(msg);
        }
    }

    /** Refuses a write: releases {@code msg} and fails the promise. */
    static void refuse(Object msg, ChannelPromise promise, Exception why) {
        ReferenceCountUtil.release(msg);
        promise.setFailure(why);
    }

    /**
     * The sessions' datagram output: a packet to the peer, on any thread. A failed write is a
     * lost datagram, as on a UDP socket: nobody waits on its future.
     */
    final int output(ByteBuffer datagram, InetSocketAddress to) {
        int n = datagram.remaining();
        if (!ctx.executor().inEventLoop()) {
            // A provider's handshake thread, or the application: Netty hands the write to the loop.
            ctx.writeAndFlush(new DatagramPacket(Buffers.copyOf(ctx.alloc(), datagram), to));
            return n;
        }
        if (!inWrite && !ctx.channel().isWritable()) {
            return 0; // counted by the session's counters as SEND_BUFFER_FULL
        }
        DatagramPacket packet = new DatagramPacket(Buffers.copyOf(ctx.alloc(), datagram), to);
        if (inRead || inWrite) {
            ctx.write(packet); // flushed at read complete, or by the writer's flush
        } else {
            ctx.writeAndFlush(packet); // a timer's retransmission, a close
        }
        return n;
    }
}
