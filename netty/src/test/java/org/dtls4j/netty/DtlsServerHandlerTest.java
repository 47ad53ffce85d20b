package org.dtls4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Echo over UDP through the Netty server handler, with every available provider on both sides. */
class DtlsServerHandlerTest {

    static {
        NettyLeaks.install();
    }

    private static final Duration WITHIN = Duration.ofSeconds(20);

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void echoesEveryRecordOfSeveralPeers(String provider) throws Exception {
        DtlsProvider p = Dtls.provider(provider);
        try (DtlsContext server = p.newContext(TckPki.get().serverConfig().build());
             DtlsContext client = p.newContext(TckPki.get().clientConfig().build());
             NettyServers netty = new NettyServers(server)) {
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

    @AfterAll
    static void noBufferLeaked() {
        NettyLeaks.assertNone();
    }
}
