package org.dtls4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Echo over UDP through the Netty server handler, with every available provider on both sides. */
class DtlsServerHandlerTest {

    static {
        NettyLeaks.install();
    }

    private static final Duration WITHIN = Duration.ofSeconds(20);

    /** Every available provider with every transport (epoll where the platform has it). */
    static Stream<Arguments> providersAndTransports() {
        List<Arguments> out = new ArrayList<>();
        for (String p : providers().toList()) {
            out.add(Arguments.of(p, NettyServers.Transport.NIO));
            if (Epoll.isAvailable()) {
                out.add(Arguments.of(p, NettyServers.Transport.EPOLL_RECVMMSG));
            }
        }
        return out.stream();
    }

    static Stream<String> providers() {
        List<String> names = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            if (p.availability().isAvailable()) {
                names.add(p.name());
            }
        }
        assertThat(names).as("available providers").isNotEmpty();
        return names.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("providersAndTransports")
    void echoesEveryRecordOfSeveralPeers(String provider, NettyServers.Transport transport) throws Exception {
        DtlsProvider p = Dtls.provider(provider);
        try (DtlsContext server = p.newContext(TckPki.get().serverConfig().build());
             DtlsContext client = p.newContext(TckPki.get().clientConfig().build());
             NettyServers netty = new NettyServers(server, TransportOptions.defaults(), transport)) {
            List<DtlsConnection> peers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    peers.add(DtlsClient.connect(client, netty.address(), WITHIN));
                }
                ByteBuffer in = ByteBuffer.allocate(2048);
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < peers.size(); i++) {
                        byte[] sent = ("peer " + i + " record " + round).getBytes(StandardCharsets.UTF_8);
                        peers.get(i).send(ByteBuffer.wrap(sent));
                        in.clear();
                        int n = peers.get(i).receive(in, WITHIN);
                        assertThat(new String(in.array(), 0, n, StandardCharsets.UTF_8))
                                .as("the echo of %s's record %d through the Netty server", provider, round)
                                .isEqualTo(new String(sent, StandardCharsets.UTF_8));
                    }
                }
                assertThat(netty.handler().stats().orElseThrow().recordsIn())
                        .as("records the server decrypted").isEqualTo(60);
            } finally {
                peers.forEach(DtlsConnection::close);
            }
        }
        NettyLeaks.assertNone();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void anIdlePeerIsClosedFreedAndReportedDownThePipeline(String provider) throws Exception {
        DtlsProvider p = Dtls.provider(provider);
        TransportOptions idle = TransportOptions.builder().idleTimeout(Duration.ofMillis(300)).build();
        try (DtlsContext server = p.newContext(TckPki.get().serverConfig().build());
             DtlsContext client = p.newContext(TckPki.get().clientConfig().build());
             NettyServers netty = new NettyServers(server, idle, NettyServers.Transport.NIO)) {
            DtlsConnection peer = DtlsClient.connect(client, netty.address(), WITHIN);
            try {
                DtlsPeerEvent connected = netty.events().poll(WITHIN.toSeconds(), TimeUnit.SECONDS);
                assertThat(connected).as("the first peer event").isNotNull();
                assertThat(connected.kind()).as("the first peer event").isEqualTo(DtlsPeerEvent.Kind.CONNECTED);
                DtlsPeerEvent closed = netty.events().poll(WITHIN.toSeconds(), TimeUnit.SECONDS);
                assertThat(closed).as("a peer event after the idle timeout").isNotNull();
                assertThat(closed.kind()).as("the event of an idle peer").isEqualTo(DtlsPeerEvent.Kind.CLOSED);
                assertThat(closed.connection().peerAddress()).as("the idle peer").isEqualTo(connected.connection()
                        .peerAddress());
                assertThat(netty.handler().stats().orElseThrow().liveSessions()).as("live sessions once it idled out")
                        .isZero();
            } finally {
                peer.close();
            }
        }
        NettyLeaks.assertNone();
    }

    @AfterAll
    static void noBufferLeaked() {
        NettyLeaks.assertNone();
    }
}
