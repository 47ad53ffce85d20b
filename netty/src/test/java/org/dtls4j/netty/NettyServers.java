package org.dtls4j.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsContext;
import org.dtls4j.TransportOptions;

/**
 * A Netty DTLS echo server on loopback, for the tests: one event loop, one channel, read with
 * NIO, or with epoll and {@code recvmmsg} (several datagrams per read, each a slice of one buffer).
 */
final class NettyServers implements AutoCloseable {

    static {
        NettyLeaks.install();
    }

    /** How the server reads its channel. */
    enum Transport {
        NIO, EPOLL_RECVMMSG
    }

    private final EventLoopGroup group;
    private final DtlsServerHandler dtls;
    private final Channel channel;
    private final BlockingQueue<DtlsPeerEvent> events = new LinkedBlockingQueue<>();

    NettyServers(DtlsContext context) throws InterruptedException {
        this(context, TransportOptions.defaults(), Transport.NIO);
    }

    NettyServers(DtlsContext context, TransportOptions options, Transport transport) throws InterruptedException {
        boolean nio = transport == Transport.NIO;
        this.group = new MultiThreadIoEventLoopGroup(1, nio ? NioIoHandler.newFactory() : EpollIoHandler.newFactory());
        this.dtls = new DtlsServerHandler(context, options);
        Bootstrap b = new Bootstrap().group(group).channel(nio ? NioDatagramChannel.class : EpollDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(dtls, new Echo(events));
                    }
                });
        if (!nio) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048 * 8));
        }
        this.channel = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    DtlsServerHandler handler() {
        return dtls;
    }

    /** The peer events the pipeline saw, in order. */
    BlockingQueue<DtlsPeerEvent> events() {
        return events;
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    /** Writes every record back to its peer (the write releases it), and keeps the peer events. */
    static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        private final BlockingQueue<DtlsPeerEvent> events;

        Echo(BlockingQueue<DtlsPeerEvent> events) {
            super(false);
            this.events = events;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof DtlsPeerEvent e) {
                events.add(e);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket record) {
            ctx.writeAndFlush(new DatagramPacket(record.content(), record.sender()));
        }
    }
}
