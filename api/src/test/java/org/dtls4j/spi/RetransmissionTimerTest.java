package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;
import org.junit.jupiter.api.Test;

class RetransmissionTimerTest {

    private static final long SECOND = 1_000_000_000L;
    /** Near the wrap of nanoTime, so that deadline comparisons must be overflow-safe. */
    private static final long T0 = Long.MAX_VALUE - 10 * SECOND - 12_345;

    private final RetransmissionTimer timer = new RetransmissionTimer(
            Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60));

    @Test
    void nothingIsArmedBeforeTheHandshake() {
        assertThat(timer.nextTimeout()).isEqualTo(DtlsSession.NO_TIMEOUT);
        assertThat(timer.flightExpired(T0)).isFalse();
        assertThat(timer.handshakeExpired(T0)).isFalse();
    }

    @Test
    void firstFlightWaitsTheInitialInterval() {
        timer.startHandshake(T0);
        timer.flightSent(T0);

        assertThat(timer.currentInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(timer.nextTimeout()).as("flight deadline").isEqualTo(T0 + SECOND);
    }

    @Test
    void eachRetransmissionDoublesTheIntervalUpToTheMaximum() {
        timer.startHandshake(T0);
        timer.flightSent(T0);
        long now = T0;
        long[] expectedSeconds = {2, 4, 8, 8, 8};

        for (long expected : expectedSeconds) {
            now = timer.nextTimeout();
            timer.retransmitted(now);
            assertThat(timer.currentInterval()).as("interval after a retransmission").isEqualTo(Duration.ofSeconds(expected));
            assertThat(timer.nextTimeout()).as("next flight deadline").isEqualTo(now + expected * SECOND);
        }
    }

    @Test
    void newFlightStartsAgainFromTheInitialInterval() {
        timer.startHandshake(T0);
        timer.flightSent(T0);
        timer.retransmitted(T0 + SECOND);
        timer.retransmitted(T0 + 3 * SECOND);

        timer.flightSent(T0 + 4 * SECOND);

        assertThat(timer.currentInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(timer.nextTimeout()).isEqualTo(T0 + 5 * SECOND);
    }

    @Test
    void handshakeDeadlineWinsWhenItIsEarlier() {
        RetransmissionTimer shortHandshake = new RetransmissionTimer(
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5));
        shortHandshake.startHandshake(T0);
        shortHandshake.flightSent(T0);
        shortHandshake.retransmitted(T0 + SECOND);  // next at T0 + 3 s
        assertThat(shortHandshake.nextTimeout()).as("flight deadline first").isEqualTo(T0 + 3 * SECOND);

        shortHandshake.retransmitted(T0 + 3 * SECOND); // flight would wait until T0 + 7 s

        assertThat(shortHandshake.nextTimeout()).as("handshake deadline at T0 + 5 s is earlier")
                .isEqualTo(T0 + 5 * SECOND);
    }

    @Test
    void answeredFlightLeavesOnlyTheHandshakeDeadline() {
        timer.startHandshake(T0);
        timer.flightSent(T0);

        timer.flightAnswered();

        assertThat(timer.nextTimeout()).isEqualTo(T0 + 60 * SECOND);
        assertThat(timer.flightExpired(T0 + 59 * SECOND)).as("no flight is waiting").isFalse();
    }

    @Test
    void expiryPredicatesTurnTrueExactlyAtTheDeadline() {
        timer.startHandshake(T0);
        timer.flightSent(T0);

        assertThat(timer.flightExpired(T0 + SECOND - 1)).as("flight, 1 ns early").isFalse();
        assertThat(timer.flightExpired(T0 + SECOND)).as("flight, at the deadline").isTrue();
        assertThat(timer.handshakeExpired(T0 + 60 * SECOND - 1)).as("handshake, 1 ns early").isFalse();
        assertThat(timer.handshakeExpired(T0 + 60 * SECOND)).as("handshake, at the deadline (past the nanoTime wrap)")
                .isTrue();
        assertThat(timer.handshakeExpired(T0 + 61 * SECOND)).as("handshake, after the deadline").isTrue();
    }

    @Test
    void stopDisarmsEverything() {
        timer.startHandshake(T0);
        timer.flightSent(T0);

        timer.stop();

        assertThat(timer.nextTimeout()).isEqualTo(DtlsSession.NO_TIMEOUT);
        assertThat(timer.flightExpired(T0 + 100 * SECOND)).isFalse();
        assertThat(timer.handshakeExpired(T0 + 100 * SECOND)).isFalse();
    }

    @Test
    void configTimersAreUsed() {
        DtlsConfig config = DtlsConfig.builder()
                .retransmission(Duration.ofMillis(250), Duration.ofMillis(750))
                .handshakeTimeout(Duration.ofSeconds(3)).build();
        RetransmissionTimer fromConfig = new RetransmissionTimer(config);
        fromConfig.startHandshake(0);
        fromConfig.flightSent(0);

        assertThat(fromConfig.nextTimeout()).isEqualTo(250_000_000L);
        fromConfig.retransmitted(250_000_000L);
        fromConfig.retransmitted(750_000_000L);
        assertThat(fromConfig.currentInterval()).as("capped at the configured maximum").isEqualTo(Duration.ofMillis(750));
        fromConfig.flightAnswered();
        assertThat(fromConfig.nextTimeout()).as("configured handshake timeout").isEqualTo(3_000_000_000L);
    }
}
