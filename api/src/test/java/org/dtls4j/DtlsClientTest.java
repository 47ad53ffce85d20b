package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DtlsClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aNullLocalAddressIsRefusedAtOnce() {
        DtlsContext context = new TestProviders.StubContext("stub", DtlsConfig.builder().build());
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 4433);
        assertThatThrownBy(() -> DtlsClient.connect(context, server, (InetSocketAddress) null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("local");
    }

    @Test
    void aClientsIdleTimeoutEndsItsConnection() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            // The server answers the client's one handshake datagram, which completes its handshake.
            Thread answering = new Thread(() -> {
                try {
                    ByteBuffer hello = ByteBuffer.allocate(64);
                    SocketAddress client = server.receive(hello);
                    server.send(ByteBuffer.wrap(new byte[] {22, 2}), client);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "answering-server");
            answering.start();
            TransportOptions options = TransportOptions.builder().idleTimeout(Duration.ofMillis(200)).build();
            DtlsConnection c = DtlsClient.connect(echoingClients(), (InetSocketAddress) server.getLocalAddress(),
                    options, WAIT);
            answering.join(WAIT.toMillis());
            long start = System.nanoTime();
            assertThat(c.receive(ByteBuffer.allocate(16), WAIT)).as("end of stream once idle").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended by the idle timeout, not the wait")
                    .isLessThan(WAIT);
            assertThat(c.isOpen()).isFalse();
        }
    }

    /** A context whose client sessions are {@link EchoingSession}s. */
    private static DtlsContext echoingClients() {
        return EchoingSession.context(DtlsRole.CLIENT);
    }
}
