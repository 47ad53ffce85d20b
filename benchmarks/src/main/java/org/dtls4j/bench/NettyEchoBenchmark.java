package org.dtls4j.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.bench.UdpEchoBenchmark.Result;
import org.dtls4j.netty.DtlsServerHandler;
import org.dtls4j.spi.DtlsProvider;

/**
 * Echo records/s through dtls4j-netty's {@link DtlsServerHandler} beside {@code DtlsServer}, in
 * one run, with the same client load ({@link org.dtls4j.DtlsClient}s, 1200-byte payloads, a window of
 * records in flight): the Netty server over NIO, over epoll, and over epoll reading with
 * {@code recvmmsg} ({@link EpollChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE}).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.NettyEchoBenchmark [seconds] [window] [provider] [clients]</pre>
 */
public final class NettyEchoBenchmark {

    /** How the Netty server reads its channel. */
    enum Transport {
        NIO, EPOLL, EPOLL_RECVMMSG
    }

    private static final int DATAGRAM = 2048;
    private static final int BATCH = 16;

    private NettyEchoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String only = args.length > 2 ? args[2] : "";
        int[] clientCounts = args.length > 3 ? new int[] {Integer.parseInt(args[3])} : new int[] {1, 32};
        if (!Epoll.isAvailable()) {
            System.out.println("epoll is not available here: " + Epoll.unavailabilityCause());
        }
        List<Result> results = new ArrayList<>();
        for (int clients : clientCounts) {
            for (DtlsProvider p : Dtls.providers()) {
                if (!p.availability().isAvailable() || !(only.isEmpty() || only.equals(p.name()))) {
                    continue;
                }
                Result server = UdpEchoBenchmark.runDtls(p, clients, seconds, window);
                results.add(new Result(p.name() + " DtlsServer", clients, server.records(), server.seconds(),
                        server.rttNanos()));
                for (Transport t : Transport.values()) {
                    if (t == Transport.NIO || Epoll.isAvailable()) {
                        results.add(runNetty(p, t, clients, seconds, window));
                    }
                }
            }
        }
        print(results, window);
    }

    static void print(List<Result> results, int window) {
        System.out.printf("%nDTLS echo on 127.0.0.1, %d-byte payloads, window %d per client, %d cores%n",
                UdpEchoBenchmark.PAYLOAD, window, Runtime.getRuntime().availableProcessors());
        System.out.printf("| %-32s | %7s | %10s | %13s | %8s | %8s |%n", "server", "clients", "records/s",
                "vs DtlsServer", "p50 µs", "p99 µs");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            String provider = r.name().substring(0, r.name().indexOf(' '));
            Result base = results.stream().filter(x -> x.name().equals(provider + " DtlsServer")
                    && x.clients() == r.clients()).findFirst().orElse(r);
            System.out.printf("| %-32s | %7d | %10.0f | %12.0f%% | %8.0f | %8.0f |%n", r.name(), r.clients(),
                    r.perSecond(), 100 * r.perSecond() / base.perSecond(), r.percentileMicros(0.5),
                    r.percentileMicros(0.99));
        }
    }

    static Result runNetty(DtlsProvider provider, Transport transport, int clients, double seconds, int window)
            throws Exception {
        DtlsConfig serverConfig = MemoryPair.serverConfig(ProtocolVersion.DTLS_1_2).toBuilder()
                .retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        DtlsConfig clientConfig = MemoryPair.clientConfig(ProtocolVersion.DTLS_1_2).toBuilder()
                .retransmission(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
        IoHandlerFactory io = transport == Transport.NIO ? NioIoHandler.newFactory() : EpollIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try (DtlsContext sctx = provider.newContext(serverConfig);
             DtlsContext cctx = provider.newContext(clientConfig)) {
            Bootstrap b = new Bootstrap().group(group)
                    .channel(transport == Transport.NIO ? NioDatagramChannel.class : EpollDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new DtlsServerHandler(sctx), new Echo());
                        }
                    });
            if (transport == Transport.EPOLL_RECVMMSG) {
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM * BATCH));
            } else {
                b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM));
            }
            Channel server = b.bind(new InetSocketAddress(UdpEchoBenchmark.LOOPBACK, 0)).sync().channel();
            try {
                InetSocketAddress to = (InetSocketAddress) server.localAddress();
                String name = provider.name() + " netty " + transport.name().toLowerCase().replace('_', '+');
                return UdpEchoBenchmark.measure(name, clients, seconds, window, () -> UdpEchoBenchmark.dtlsClient(cctx, to));
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /** Writes every record back to its peer; the DTLS handler releases it once protected. */
    @ChannelHandler.Sharable
    static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket record) {
            ctx.write(new DatagramPacket(record.content(), record.sender()));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
