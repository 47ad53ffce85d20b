package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsHandshakeTimeoutException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.net.NetworkConditions;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Loss, retransmission and timeouts (RFC 6347 section 4.2.4), observed on the wire so that
 * a backend that keeps its timers inside is held to the same rule as one driven through
 * the session's timer contract.
 *
 * <p>If these fail, check {@code nextTimeout()} / {@code handleTimeout()}: the first
 * retransmission after the configured initial interval, each next one after twice the
 * last, never more than the configured maximum, and a {@code DtlsHandshakeTimeoutException}
 * once the configured total has passed. Provider threads must be named {@code dtls4j-...}
 * and end when their session does.
 *
 * @since 0.1
 */
public interface RetransmissionContract extends TckTarget {

    /** The total handshake time of the black-hole tests. */
    Duration BLACK_HOLE_TIMEOUT = Duration.ofMillis(400);

    /**
     * Checks rule RT-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RT-1")
    default void handshakeCompletesAndDataFlowsDespiteLossDuplicationAndReordering(TckRun run) {
        NetworkConditions lossy = NetworkConditions.CLEAN.withLoss(0.2).withDuplication(0.1).withReordering(0.1);
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build())
                .conditions(lossy).build().start()) {
            pair.awaitEstablished(Tck.LOSSY_HANDSHAKE);
            int n = 50;
            for (int i = 0; i < n; i++) {
                pair.client().send(Tck.payload(100, i));
            }
            pair.link().conditions(NetworkConditions.CLEAN);
            pair.client().send(Tck.payload(100, 200));
            Set<Integer> seen = new HashSet<>();
            while (true) {
                byte[] r = Await.next(pair.server().records(), Tck.EVENT, () -> "the last record, sent on a clean link\n"
                        + pair.describe());
                int tag = r[0] & 0xff;
                assertTrue(seen.add(tag), "record " + tag + " was delivered twice (duplicates must be dropped)\n" + pair.describe());
                if (tag == 200) {
                    break;
                }
            }
            assertTrue(seen.size() > n / 2, "with 20% loss most records arrive; got " + (seen.size() - 1) + " of " + n
                    + "\n" + pair.describe());
        }
    }

    /**
     * Checks rule RT-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RT-2")
    default void retransmissionsFollowTheConfiguredSchedule(TckRun run) {
        Duration initial = Duration.ofMillis(50);
        Duration max = Duration.ofMillis(120);
        int flights = 5;
        DtlsConfig client = Tck.client(run).retransmission(initial, max).handshakeTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger clientDatagrams = new AtomicInteger();
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(client).serverConfig(Tck.server(run).build()).build()) {
            // Everything the server says is lost until the client has sent its first flight
            // `flights` times; then the handshake may complete.
            pair.link().filter((from, bytes) -> from == Side.CLIENT
                    ? clientDatagrams.incrementAndGet() < 0
                    : clientDatagrams.get() < flights);
            pair.start();
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            List<Long> starts = flightStarts(pair.link().wire(), Side.CLIENT, flights);
            assertEquals(flights, starts.size(), "the client must send its first flight " + flights + " times\n" + pair.describe());
            long expected = initial.toNanos();
            for (int i = 1; i < starts.size(); i++) {
                long gap = starts.get(i) - starts.get(i - 1);
                long low = expected * 9 / 10 - 1_000_000;
                // Late is tolerated more than early: a loaded machine delays timers, never advances them.
                // The bound still catches a missing cap (50, 100, 200, 400 ms) at the fourth interval.
                long high = expected * 3 / 2 + 40_000_000;
                assertTrue(gap >= low && gap <= high, String.format(
                        "retransmission %d came %.1f ms after the previous one; expected %.1f ms"
                        + " (initial %d ms, doubling, capped at %d ms)%n%s", i, gap / 1e6, expected / 1e6,
                        initial.toMillis(), max.toMillis(), pair.describe()));
                expected = Math.min(expected * 2, max.toNanos());
            }
        }
    }

    /**
     * Checks rule RT-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RT-3")
    default void lostFinalFlightIsRecovered(TckRun run) {
        AtomicInteger dropped = new AtomicInteger();
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).build()) {
            // Lose the server's first ChangeCipherSpec/Finished datagrams: the client must
            // retransmit its last flight and the server must answer it again.
            pair.link().filter((from, bytes) -> from == Side.SERVER && bytes.length > 0
                    && ((bytes[0] & 0xff) == 20 || (bytes.length > 4 && (bytes[3] != 0 || bytes[4] != 0)))
                    && dropped.incrementAndGet() <= 2);
            pair.start();
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertTrue(dropped.get() >= 1, "the filter must have dropped the server's final flight\n" + pair.describe());
            pair.client().send(new byte[] {5});
            Await.next(pair.server().records(), Tck.EVENT, () -> "a record after the recovered handshake");
        }
    }

    /**
     * Checks rule RT-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RT-4")
    default void blackHoleFailsWithHandshakeTimeout(TckRun run) {
        DtlsException failure;
        try (SessionPair pair = blackHolePair(run)) {
            long started = System.nanoTime();
            pair.start();
            failure = Await.value(pair.client().failed(), BLACK_HOLE_TIMEOUT.plusSeconds(5),
                    () -> "a handshake into a black hole must fail after " + BLACK_HOLE_TIMEOUT.toMillis() + " ms");
            long took = System.nanoTime() - started;
            assertInstanceOf(DtlsHandshakeTimeoutException.class, failure, "expected a handshake timeout, got " + failure);
            assertTrue(took >= BLACK_HOLE_TIMEOUT.toNanos() - 5_000_000 && took <= BLACK_HOLE_TIMEOUT.toNanos() + 1_000_000_000L,
                    String.format("the handshake timeout must come after the configured %d ms, came after %.1f ms",
                            BLACK_HOLE_TIMEOUT.toMillis(), took / 1e6));
            assertEquals(DtlsSessionState.FAILED, pair.client().session().state(), "a timed-out session is FAILED");
            long next = pair.client().onLoop(() -> pair.client().session().nextTimeout());
            assertEquals(DtlsSession.NO_TIMEOUT, next, "a failed session arms no timer");
            assertEquals(1, pair.client().failureCount(), "onFailed is called exactly once");
            int sent = pair.link().wire().size();
            assertTrue(sent >= 3, "the client must have retransmitted into the black hole, sent " + sent);
        }
    }

    /**
     * Checks rule RT-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RT-5")
    default void aTimedOutHandshakeLeavesNoProviderThreadBehind(TckRun run) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (SessionPair pair = blackHolePair(run)) {
            pair.start();
            Await.value(pair.client().failed(), BLACK_HOLE_TIMEOUT.plusSeconds(5),
                    () -> "a handshake into a black hole must fail after " + BLACK_HOLE_TIMEOUT.toMillis() + " ms");
        }
        Await.until(() -> providerThreadsNotIn(before).isEmpty(), Duration.ofSeconds(5),
                () -> "provider threads left behind after the session failed and closed: " + providerThreadsNotIn(before));
    }

    /** A pair, not started, whose client sends into a link that delivers nothing. */
    private static SessionPair blackHolePair(TckRun run) {
        DtlsConfig client = Tck.client(run).retransmission(Duration.ofMillis(50), Duration.ofMillis(100))
                .handshakeTimeout(BLACK_HOLE_TIMEOUT).build();
        SessionPair pair = Tck.pair(run).clientConfig(client).serverConfig(Tck.server(run).build()).build();
        pair.link().filter((from, bytes) -> true);
        return pair;
    }

    private static List<Thread> providerThreadsNotIn(Set<Thread> before) {
        List<Thread> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t) && t.getName().startsWith("dtls4j-")
                    && !t.getName().startsWith(SessionPair.LOOP_THREAD_PREFIX)) {
                left.add(t);
            }
        }
        return left;
    }

    /** The send times of the first datagram of each flight (datagrams less than 5 ms apart are one flight). */
    private static List<Long> flightStarts(List<WireEvent> wire, Side side, int limit) {
        List<Long> starts = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (WireEvent e : wire) {
            if (e.from() != side) {
                continue;
            }
            if (last == Long.MIN_VALUE || e.nanos() - last > 5_000_000) {
                if (starts.size() == limit) {
                    break;
                }
                starts.add(e.nanos());
            }
            last = e.nanos();
        }
        return starts;
    }
}
