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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server handshake that will not complete ends as a failed handshake, counted, its
 * connection's owner frees the address, and its session is closed, so the backend frees what it
 * holds:
 * <ul>
 *   <li>at once when the session throws on the loop (a backend's bug on hostile input): the
 *       exception never reaches the loop;</li>
 *   <li>at the handshake timeout when its peer stalled and the backend has no deadline of its own
 *       (BouncyCastle's blocking handshake has none: before the reaper closed the session, every
 *       reaped BouncyCastle handshake kept its thread waiting, found by {@code dtls4j fuzz}).</li>
 * </ul>
 */
class EndedHandshakeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Counters server = new Counters();
    private final CompletableFuture<Boolean> ended = new CompletableFuture<>();
    private EventLoop loop;
    private DatagramChannel socket;

    @BeforeEach
    void open() throws Exception {
        loop = new EventLoop("ended-handshake-test");
        socket = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
        loop.close();
    }

    private PeerConnection connection(DtlsConfig config) {
        return new PeerConnection(loop, socket, false, new InetSocketAddress(LOOPBACK, 9), config,
                new PeerConnection.Owner() {
                    @Override
                    public void established(PeerConnection connection) {
                    }

                    @Override
                    public void ended(PeerConnection connection, boolean handshakeFailed) {
                        ended.complete(handshakeFailed);
                    }
                }, new Counters(server), null, TransportOptions.defaults());
    }

    /** The connection ended as a failed handshake, with a failure of this type, its session closed. */
    private void assertEndedAndClosed(PeerConnection c, ClosingSession session, Class<? extends Throwable> failure)
            throws Exception {
        assertThat(ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("ended as a failed handshake").isTrue();
        assertThat(session.closed).as("the session is closed, its backend state freed").isTrue();
        try {
            c.handshake.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the handshake must fail");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(failure);
        }
        assertThat(server.snapshot().handshakesFailed()).as("counted as a failed handshake").isEqualTo(1);
    }

    @Test
    void aSessionThatThrowsOnADatagramFailsItsConnectionAtOnceAndIsClosed() throws Exception {
        PeerConnection c = connection(DtlsConfig.builder().build());
        ClosingSession session = new ClosingSession(c.listener()) {
            @Override
            public void receive(ByteBuffer datagram) {
                throw new ClassCastException("a backend's bug on hostile input");
            }
        };
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
        assertEndedAndClosed(c, session, DtlsException.class);
        try {
            c.handshake.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasCauseInstanceOf(ClassCastException.class);
        }
        assertThat(server.snapshot().dropped(DropReason.SESSION_ERROR)).as("the datagram it threw on").isEqualTo(1);
    }

    @Test
    void aStalledHandshakeIsReapedAtItsTimeoutAndItsSessionClosed() throws Exception {
        PeerConnection c = connection(DtlsConfig.builder().handshakeTimeout(Duration.ofMillis(200))
                .retransmission(Duration.ofMillis(100), Duration.ofMillis(400)).build());
        ClosingSession session = new ClosingSession(c.listener()) {
            @Override
            public void receive(ByteBuffer datagram) {
                datagram.position(datagram.limit()); // answered by nothing, no deadline of its own
            }
        };
        c.attach(session, "stalled");
        loop.execute(() -> c.begin(ByteBuffer.wrap(new byte[] {22})));
        assertEndedAndClosed(c, session, DtlsHandshakeTimeoutException.class);
    }

    /** A server session that says when it is closed. */
    private static class ClosingSession extends EchoingSession {
        volatile boolean closed;

        ClosingSession(DtlsSessionListener listener) {
            super(DtlsRole.SERVER, listener);
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
