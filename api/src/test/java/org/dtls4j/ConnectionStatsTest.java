package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.junit.jupiter.api.Test;

/**
 * A connection counts each event once, and its server's counters see the same events: one
 * handshake and one record each way leave the two sets of stats equal.
 */
class ConnectionStatsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aServerAndItsConnectionAgreeOnOneHandshakeAndOneRecordEachWay() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoop loop = new EventLoop("stats-test");
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
             DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            Counters server = new Counters();
            PeerConnection c = new PeerConnection(loop, socket, false, (InetSocketAddress) client.getLocalAddress(),
                    DtlsConfig.builder().build(), new NoOwner(), new Counters(server), null, TransportOptions.defaults());
            c.attach(new EchoingSession(DtlsRole.SERVER, c.listener()), "echo");

            onLoop(loop, () -> c.begin(ByteBuffer.wrap(new byte[] {22})));
            c.handshake.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            onLoop(loop, () -> c.receive(ByteBuffer.wrap(new byte[] {23, 1})));
            assertThat(c.receive(ByteBuffer.allocate(16), WAIT)).as("the record reached the inbox").isEqualTo(1);
            c.send(ByteBuffer.wrap(new byte[] {2}));

            TransportStats mine = c.stats();
            TransportStats all = server.snapshot();
            assertThat(mine.handshakesStarted()).as("handshakes started").isEqualTo(1);
            assertThat(mine.handshakesCompleted()).as("handshakes completed").isEqualTo(1);
            assertThat(mine.datagramsIn()).as("datagrams in: the ClientHello and the record").isEqualTo(2);
            assertThat(mine.datagramsOut()).as("datagrams out: the server's flight and the record").isEqualTo(2);
            assertThat(mine.recordsIn()).as("records in").isEqualTo(1);
            assertThat(mine.recordsOut()).as("records out").isEqualTo(1);
            assertThat(mine.droppedTotal()).as("nothing dropped").isZero();
            assertThat(all.toString()).as("the server counts what its connection counts, once")
                    .isEqualTo(mine.toString());

            c.icmpError();
            assertThat(c.stats().dropped(DropReason.ICMP)).isEqualTo(1);
            assertThat(server.snapshot().dropped(DropReason.ICMP)).as("one ICMP error, once").isEqualTo(1);
            c.close();
        } finally {
            loop.close();
        }
    }

    private static void onLoop(EventLoop loop, Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            task.run();
            done.complete(null);
        });
        done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static final class NoOwner implements PeerConnection.Owner {
        @Override
        public void established(PeerConnection connection) {
        }

        @Override
        public void ended(PeerConnection connection, boolean handshakeFailed) {
        }
    }
}
