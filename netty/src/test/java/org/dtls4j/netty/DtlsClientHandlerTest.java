package org.dtls4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Echo between the Netty client handler and the Netty server handler, with every available provider. */
class DtlsClientHandlerTest {

    static {
        NettyLeaks.install();
    }

    static java.util.List<String> providers() {
        return DtlsServerHandlerTest.providers().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void theClientHandlerEchoesThroughTheServerHandler(String provider) throws Exception {
        DtlsProvider p = Dtls.provider(provider);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        BlockingQueue<String> echoes = new LinkedBlockingQueue<>();
        try (DtlsContext server = p.newContext(TckPki.get().serverConfig().build());
             DtlsContext client = p.newContext(TckPki.get().clientConfig().build());
             NettyServers netty = new NettyServers(server)) {
            DtlsClientHandler dtls = new DtlsClientHandler(client);
            Channel channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(dtls, new SimpleChannelInboundHandler<DatagramPacket>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket record) {
                                    echoes.add(record.content().toString(StandardCharsets.UTF_8));
                                }
                            });
                        }
                    })
                    .connect(netty.address()).sync().channel();
            try {
                dtls.handshake().get(20, TimeUnit.SECONDS);
                for (int i = 0; i < 20; i++) {
                    String sent = provider + " record " + i;
                    channel.writeAndFlush(Unpooled.copiedBuffer(sent, StandardCharsets.UTF_8)).sync();
                    assertThat(echoes.poll(20, TimeUnit.SECONDS)).as("the echo of record %d", i).isEqualTo(sent);
                }
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        NettyLeaks.assertNone();
    }
}
