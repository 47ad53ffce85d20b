package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.ClientHellosTest;
import org.junit.jupiter.api.Test;

/**
 * The listener picks the cookie exchange by version: DTLS 1.3 (a HelloRetryRequest from the
 * backend) when the ClientHello offers 1.3 and the server is configured for it, else DTLS 1.2
 * (a HelloVerifyRequest).
 */
class ListenerVersionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] SUITES = {0, 4, 0x13, 0x01, (byte) 0xc0, 0x2b};
    /** supported_groups; supported_versions: DTLS 1.3, DTLS 1.2. */
    private static final byte[] OFFERS_13_AND_12 = {0, 17, 0, 10, 0, 4, 0, 2, 0, 23, 0, 43, 0, 5, 4, (byte) 0xfe,
        (byte) 0xfc, (byte) 0xfe, (byte) 0xfd};

    @Test
    void aClientOfferingDtls13And12GetsAHelloVerifyRequestFromA12OnlyServer() throws Exception {
        withServerAndClient(ProtocolVersion.DTLS_1_2, (server, client) -> {
            client.send(ByteBuffer.wrap(ClientHellosTest.clientHello(new byte[0], 0, SUITES, OFFERS_13_AND_12)),
                    server.localAddress());
            byte[] answer = new byte[2048];
            client.socket().setSoTimeout((int) WAIT.toMillis());
            client.socket().receive(new DatagramPacket(answer, answer.length));
            assertThat(answer[0]).as("a handshake record").isEqualTo((byte) 22);
            assertThat(answer[13]).as("a HelloVerifyRequest").isEqualTo((byte) 3);
            // counted just after it left the socket: the client may see it first
            awaitTrue(() -> server.stats().cookiesSent() == 1, "the HelloVerifyRequest is counted");
            assertThat(server.stats().dropped(DropReason.NO_HELLO_RETRY)).isZero();
        });
    }

    @Test
    void aDtls13ClientHelloToA13ServerWithoutHelloRetryCookiesIsDroppedAndCounted() throws Exception {
        withServerAndClient(ProtocolVersion.DTLS_1_3, (server, client) -> {
            client.send(ByteBuffer.wrap(ClientHellosTest.clientHello(new byte[0], 0, SUITES, OFFERS_13_AND_12)),
                    server.localAddress());
            awaitTrue(() -> server.stats().dropped(DropReason.NO_HELLO_RETRY) == 1, "the ClientHello is dropped");
            assertThat(server.stats().cookiesSent()).as("no HelloVerifyRequest for a 1.3 ClientHello").isZero();
            client.send(ByteBuffer.wrap(ClientHellosTest.clientHello(new byte[0], 0)), server.localAddress());
            awaitTrue(() -> server.stats().cookiesSent() == 1, "a 1.2 ClientHello still gets its cookie");
        });
    }

    private interface ServerAndClient {
        void run(DtlsServer server, DatagramChannel client) throws Exception;
    }

    /** Runs {@code test} against a server of a stub context configured for DTLS 1.2 and {@code version}. */
    private static void withServerAndClient(ProtocolVersion version, ServerAndClient test) throws Exception {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(version, ProtocolVersion.DTLS_1_2).build();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DtlsServer server = DtlsServer.bind(new TestProviders.StubContext("stub", config),
                new InetSocketAddress(loopback, 0));
             DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            test.run(server, client);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
