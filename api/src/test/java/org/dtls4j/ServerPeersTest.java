package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.junit.jupiter.api.Test;

/** The listener's one peer table bounds sessions and handshakes in total, whichever I/O threads reserve them. */
class ServerPeersTest {

    private static ServerPeers peers(int maxSessions, int maxHandshakes) {
        return new ServerPeers(new ConnectionIdRoutes<>(0, false), new Counters(), null,
                TransportOptions.builder().maxSessions(maxSessions).maxHandshakes(maxHandshakes).build());
    }

    @Test
    void threadsReservingAtOnceNeverGetMoreThanTheLimitsTogether() throws Exception {
        int threads = 4;
        ServerPeers table = peers(100, 100);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Integer>> granted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                granted.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    int n = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (table.reserve(true) == null) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> f : granted) {
                total += f.get(10, TimeUnit.SECONDS);
            }
            assertThat(total).as("slots granted across the threads").isEqualTo(100);
            assertThat(table.size()).isEqualTo(100);
            assertThat(table.handshaking()).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theHandshakeLimitGivesBackTheSessionSlotItTookAndUnreserveGivesBackBoth() {
        ServerPeers table = peers(10, 2);
        assertThat(table.reserve(true)).isNull();
        assertThat(table.reserve(true)).isNull();
        assertThat(table.reserve(true)).isEqualTo(DropReason.HANDSHAKE_LIMIT);
        assertThat(table.size()).as("the refused one holds no session slot").isEqualTo(2);
        assertThat(table.reserve(false)).as("a restart at a known address also needs a handshake slot")
                .isEqualTo(DropReason.HANDSHAKE_LIMIT);
        table.unreserve(true);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.handshaking()).isEqualTo(1);
        assertThat(table.reserve(false)).as("a restart takes no session slot").isNull();
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.handshaking()).isEqualTo(2);
    }
}
