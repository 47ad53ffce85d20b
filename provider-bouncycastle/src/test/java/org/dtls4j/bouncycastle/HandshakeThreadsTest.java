package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsContext;
import org.dtls4j.tck.SessionPair;
import org.junit.jupiter.api.Test;

/** Many concurrent handshakes share a bounded pool; established sessions hold no thread. */
class HandshakeThreadsTest {

    private static final int SESSIONS = 200;
    private static final int THREADS = 4;

    @Test
    void twoHundredConcurrentHandshakesNeverUseMoreThanThePoolsThreads() throws Exception {
        BouncyCastleProvider provider = new BouncyCastleProvider(THREADS);
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                most.accumulateAndGet(bcThreads(), Math::max);
                Thread.onSpinWait();
            }
        }, "test-sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<SessionPair> pairs = new ArrayList<>();
        try (DtlsContext clients = provider.newContext(Configs.client().build());
             DtlsContext servers = provider.newContext(Configs.server().build())) {
            try {
                for (int i = 0; i < SESSIONS; i++) {
                    pairs.add(SessionPair.builder(provider, provider).contexts(clients, servers).build().start());
                }
                for (SessionPair pair : pairs) {
                    for (SessionPair.End e : List.of(pair.client(), pair.server())) {
                        CompletableFuture.anyOf(e.established(), e.failed()).get(60, TimeUnit.SECONDS);
                        assertThat(e.failed()).as("no handshake fails").isNotDone();
                    }
                }
            } finally {
                pairs.forEach(SessionPair::close);
            }
            sampling.set(false);
            sampler.join();
            assertThat(most.get()).as("dtls4j-bc-* threads at any time for %d handshakes on two contexts of %d threads",
                    SESSIONS, THREADS).isLessThanOrEqualTo(2 * THREADS).isPositive();
        } finally {
            sampling.set(false);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (bcThreads() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertThat(bcThreads()).as("handshake threads left after the contexts closed").isZero();
    }

    private static int bcThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("dtls4j-bc-")) {
                n++;
            }
        }
        return n;
    }
}
