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
import org.dtls4j.TransportStats.DropReason;
import org.junit.jupiter.api.Test;

/**
 * What a session throws on the loop (a backend's bug on hostile input) ends that session at
 * once, as a failed handshake, counted, and its connection's owner frees the address: the
 * exception never reaches the loop, and nothing waits for the handshake timeout.
 */
class ThrowingSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aSessionThatThrowsOnADatagramFailsItsConnectionAtOnceAndIsClosed() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoop loop = new EventLoop("throwing-test");
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            Counters server = new Counters();
            CompletableFuture<Boolean> ended = new CompletableFuture<>();
            PeerConnection c = new PeerConnection(loop, socket, false, new InetSocketAddress(loopback, 9),
                    DtlsConfig.builder().build(), new PeerConnection.Owner() {
                        @Override
                        public void established(PeerConnection connection) {
                        }

                        @Override
                        public void ended(PeerConnection connection, boolean handshakeFailed) {
                            ended.complete(handshakeFailed);
                        }
                    }, new Counters(server), null, TransportOptions.defaults());
            ThrowingSession session = new ThrowingSession(c.listener());
            c.attach(session, "throwing");

            CompletableFuture<Throwable> escaped = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    c.begin(ByteBuffer.wrap(new byte[] {22}));
                    escaped.complete(null);
                } catch (Throwable t) {
                    escaped.complete(t);
                }
            });
            assertThat(escaped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("nothing escapes to the loop").isNull();
            assertThat(ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("ended as a failed handshake").isTrue();
            assertThat(session.closed).as("the session is closed, its backend state freed").isTrue();
            try {
                c.handshake.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("the handshake must fail");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(DtlsException.class).hasCauseInstanceOf(ClassCastException.class);
            }
            TransportStats all = server.snapshot();
            assertThat(all.handshakesFailed()).as("counted as a failed handshake").isEqualTo(1);
            assertThat(all.dropped(DropReason.SESSION_ERROR)).as("the datagram it threw on").isEqualTo(1);
        } finally {
            loop.close();
        }
    }

    /** An echoing server session that throws on every datagram. */
    private static final class ThrowingSession extends EchoingSession {
        private volatile boolean closed;

        ThrowingSession(DtlsSessionListener listener) {
            super(DtlsRole.SERVER, listener);
        }

        @Override
        public void receive(ByteBuffer datagram) {
            throw new ClassCastException("a backend's bug on hostile input");
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
