package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueTransportTest {

    private final List<byte[]> sent = new ArrayList<>();

    private QueueTransport transport(int capacity) {
        return new QueueTransport(capacity, 1400, 2048, new FlightTimer(50_000_000L, 120_000_000L),
                new QueueTransport.Sink() {
                    @Override
                    public void send(byte[] buf, int off, int len) {
                        sent.add(java.util.Arrays.copyOfRange(buf, off, off + len));
                    }

                    @Override
                    public void taken() {
                    }
                });
    }

    @Test
    void aFullQueueDropsAndCounts() {
        QueueTransport t = transport(2);
        assertThat(t.offer(new byte[] {1})).isTrue();
        assertThat(t.offer(new byte[] {2})).isTrue();
        assertThat(t.offer(new byte[] {3})).as("the third datagram does not fit").isFalse();
        assertThat(t.overflows()).isEqualTo(1);
    }

    @Test
    void duringTheHandshakeAReceiveWaitsAtMostWhatBouncyCastleAsks() throws IOException {
        QueueTransport t = transport(4);
        byte[] buf = new byte[16];
        long start = System.nanoTime();
        assertThat(t.receive(buf, 0, buf.length, 30)).as("nothing came: BouncyCastle's timer ran out").isEqualTo(-1);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(29));
        t.offer(new byte[] {7, 8});
        assertThat(t.receive(buf, 0, buf.length, 30)).isEqualTo(2);
        assertThat(buf[1]).isEqualTo((byte) 8);
    }

    @Test
    void afterTheHandshakeAnEmptyQueueThrowsNoInputAtOnce() {
        QueueTransport t = transport(4);
        t.nonBlocking();
        assertThatThrownBy(() -> t.receive(new byte[16], 0, 16, 0)).isInstanceOf(QueueTransport.NoInput.class);
    }

    @Test
    void closingWakesAWaitingHandshakeThread() throws Exception {
        QueueTransport t = transport(4);
        CompletableFuture<Throwable> woke = CompletableFuture.supplyAsync(() -> {
            try {
                t.receive(new byte[16], 0, 16, 60_000);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        t.close();
        assertThat(woke.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        t.send(new byte[] {1}, 0, 1);
        assertThat(sent).as("a closed transport sends nothing").isEmpty();
    }
}
