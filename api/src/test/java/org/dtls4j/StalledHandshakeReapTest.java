package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dtls4j.TransportStats.Counters;
import org.junit.jupiter.api.Test;

/**
 * A handshake that never ends by itself (its peer stalled, and the backend has no deadline of
 * its own, as BouncyCastle's blocking handshake has none) is reaped after the handshake timeout:
 * the connection fails, counted, and its session is closed, so the backend frees what it holds
 * (BouncyCastle: the thread that waits inside its handshake). Before this, the reaper ended the
 * connection only, and every stalled BouncyCastle handshake kept its thread waiting.
 */
class StalledHandshakeReapTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aStalledHandshakeIsReapedAndItsSessionClosed() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoop loop = new EventLoop("reap-test");
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            Counters server = new Counters();
            CompletableFuture<Boolean> ended = new CompletableFuture<>();
            DtlsConfig config = DtlsConfig.builder().handshakeTimeout(Duration.ofMillis(200))
                    .retransmission(Duration.ofMillis(100), Duration.ofMillis(400)).build();
            PeerConnection c = new PeerConnection(loop, socket, false, new InetSocketAddress(loopback, 9), config,
                    new PeerConnection.Owner() {
                        @Override
                        public void established(PeerConnection connection) {
                        }

                        @Override
                        public void ended(PeerConnection connection, boolean handshakeFailed) {
                            ended.complete(handshakeFailed);
                        }
                    }, new Counters(server), null, TransportOptions.defaults());
            StalledSession session = new StalledSession(c.listener());
            c.attach(session, "stalled");
            loop.execute(() -> c.begin(ByteBuffer.wrap(new byte[] {22})));

            assertThat(ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("ended as a failed handshake").isTrue();
            assertThat(session.closed).as("the reaped session is closed, its backend state freed").isTrue();
            try {
                c.handshake.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("the handshake must fail");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(DtlsHandshakeTimeoutException.class);
            }
            assertThat(server.snapshot().handshakesFailed()).as("counted as a failed handshake").isEqualTo(1);
        } finally {
            loop.close();
        }
    }

    /** A server session whose peer never answers and which sets no deadline of its own. */
    private static final class StalledSession extends EchoingSession {
        private volatile boolean closed;

        StalledSession(DtlsSessionListener listener) {
            super(DtlsRole.SERVER, listener);
        }

        @Override
        public void receive(ByteBuffer datagram) {
            datagram.position(datagram.limit()); // a ClientHello answered by nothing: waits forever
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
