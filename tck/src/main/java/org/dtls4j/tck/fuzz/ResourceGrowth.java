package org.dtls4j.tck.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.Await;

/**
 * What one fuzz input may not leave behind, checked once its sessions are closed; a growth
 * fails the input like a crash, with a message that names what grew:
 * <ul>
 * <li>the provider's live native objects ({@link DtlsProvider#liveObjects()}) are back where
 *     they were before the input, less what it closed of what was alive before it (a cached
 *     established pair), plus what it made and keeps (the next one);</li>
 * <li>the live threads are back to at most what they were before the input, or after the
 *     fuzzer's warm-up if that was more, within {@value #SETTLE_SECONDS} s: longer than a
 *     provider keeps an idle pool thread (BouncyCastle's handshake threads: 5 s), so a pool
 *     that grew for a moment and shrinks passes, a thread per session does not. Up to
 *     {@value #IDLE_POOL_THREADS} more than after the warm-up may stay at once if every thread
 *     the input started is an idle pool worker (waiting in {@code ThreadPoolExecutor.getTask}): a
 *     pool that keeps a thread for its next task is not waited for, and a pool left per session
 *     passes that bound within a few inputs;</li>
 * <li>every {@value #COLLECT_EVERY} inputs, and when the fuzzer closes, after a full GC, no
 *     session an input made is still reachable, but for the established pairs kept for the
 *     next input.</li>
 * </ul>
 * The first two are awaited with a deadline only when they do not hold at once, so a clean
 * input costs two counter reads.
 *
 * <p>Not thread-safe: one fuzzer's inputs run one at a time.
 */
final class ResourceGrowth {

    /** The most a thread an input started may outlive it. */
    static final int SETTLE_SECONDS = 6;
    /** How many threads above the warm-up's count may be idle pool workers, unwaited. */
    static final int IDLE_POOL_THREADS = 2;
    /** How many inputs between two reachability checks (each a full GC). */
    static final int COLLECT_EVERY = 64;
    private static final Duration COLLECT_DEADLINE = Duration.ofSeconds(5);

    private final DtlsProvider provider;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Made> made = new ArrayList<>();
    private int threadsAfterWarmUp;
    private int threadsBefore;
    private long[] threadIdsBefore = new long[0];
    private Map<String, Long> expected = Map.of();
    private long inputs;
    private long checkNanos;
    private long settles;
    private long longestSettleNanos;

    /** A session an input made, and that input. */
    private record Made(WeakReference<DtlsSession> session, String role, long input, String described, byte[] bytes) {
    }

    ResourceGrowth(DtlsProvider provider) {
        this.provider = provider;
    }

    /** The fuzzer's contexts are made and have run a handshake each: the threads alive now may stay. */
    void warmedUp() {
        threadsAfterWarmUp = threads.getThreadCount();
    }

    /** An input starts: what it must come back to. */
    void before() {
        expected = new HashMap<>(provider.liveObjects());
        threadsBefore = threads.getThreadCount();
        threadIdsBefore = threads.getAllThreadIds();
    }

    /** {@return the provider's live native objects now, by kind} */
    Map<String, Long> objectsNow() {
        return provider.liveObjects();
    }

    /** {@return what {@code now} has more of, kind by kind, than {@code then}} */
    static Map<String, Long> difference(Map<String, Long> now, Map<String, Long> then) {
        Map<String, Long> d = new HashMap<>();
        now.forEach((k, n) -> d.put(k, n - then.getOrDefault(k, 0L)));
        then.forEach((k, n) -> d.putIfAbsent(k, -n));
        return d;
    }

    /** The input closed objects that were alive before it ({@code footprint}, as {@link #difference}). */
    void closedKept(Map<String, Long> footprint) {
        footprint.forEach((k, n) -> expected.merge(k, -n, Long::sum));
    }

    /** The input made objects it keeps for the next input ({@code footprint}, as {@link #difference}). */
    void kept(Map<String, Long> footprint) {
        footprint.forEach((k, n) -> expected.merge(k, n, Long::sum));
    }

    /** The input made {@code session}: it must become unreachable once the fuzzer lets go of it. */
    void made(DtlsSession session, String described, byte[] input) {
        made.add(new Made(new WeakReference<>(session), session.role().toString(), inputs, described, input));
    }

    /** The worker hung and was replaced: the sessions it held are not the next inputs' to free. */
    void abandoned() {
        made.clear();
    }

    /**
     * The input is over and its sessions closed: fails, naming what grew, if the native objects
     * or the threads did not come back, or (every {@value #COLLECT_EVERY} inputs) a session of an
     * earlier input is still reachable.
     *
     * @param described the input, for messages
     * @param kept the sessions the fuzzer keeps for the next input
     */
    void after(String described, Set<DtlsSession> kept) {
        long started = System.nanoTime();
        int allowed = Math.max(threadsBefore, threadsAfterWarmUp);
        if (!sameObjects() || !threadsBack(allowed)) {
            Await.until(() -> sameObjects() && threadsBack(allowed), Duration.ofSeconds(SETTLE_SECONDS),
                    () -> grew(described, allowed));
            settles++;
            longestSettleNanos = Math.max(longestSettleNanos, System.nanoTime() - started);
        }
        if (++inputs % COLLECT_EVERY == 0) {
            requireCollected(kept);
        }
        checkNanos += System.nanoTime() - started;
    }

    /** {@return how long the checks after each input took in all, and how often and how long at most they waited, for the report} */
    String cost(long inputNanos) {
        return String.format("of %.1f s in inputs, %.1f%% went to the growth checks (%d inputs waited for threads or"
                + " objects to settle, at most %d ms)", inputNanos / 1e9, 100.0 * checkNanos / inputNanos, settles,
                longestSettleNanos / 1_000_000);
    }

    /** Every session made so far, but {@code kept}, must be unreachable after a full GC. */
    void requireCollected(Set<DtlsSession> kept) {
        List<Made> live = new ArrayList<>(made);
        try {
            Await.until(() -> {
                System.gc();
                live.removeIf(m -> m.session().get() == null || kept.contains(m.session().get()));
                return live.isEmpty();
            }, COLLECT_DEADLINE, () -> live.size() + " session(s) still reachable after a full GC once closed, the"
                    + " first: a " + live.get(0).role() + " session of " + provider.name() + " made by input #"
                    + live.get(0).input() + " (" + live.get(0).described() + ", input hex "
                    + hex(live.get(0).bytes()) + "): a session leak");
        } finally {
            made.removeIf(m -> m.session().get() == null);
        }
    }

    /**
     * Whether the threads are back to {@code allowed}; or, at most {@value #IDLE_POOL_THREADS}
     * above the warm-up's count, whether every thread the input started is an idle pool worker.
     */
    private boolean threadsBack(int allowed) {
        int now = threads.getThreadCount();
        return now <= allowed || now <= threadsAfterWarmUp + IDLE_POOL_THREADS && startedAreIdlePoolWorkers();
    }

    /** Whether every thread started since the input began is parked in {@code ThreadPoolExecutor.getTask}. */
    private boolean startedAreIdlePoolWorkers() {
        Set<Long> before = Arrays.stream(threadIdsBefore).boxed().collect(Collectors.toSet());
        long[] started = Arrays.stream(threads.getAllThreadIds()).filter(id -> !before.contains(id)).toArray();
        return Arrays.stream(threads.getThreadInfo(started, 16)).filter(Objects::nonNull)
                .allMatch(t -> Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("getTask")
                        && f.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")));
    }

    private boolean sameObjects() {
        Map<String, Long> now = provider.liveObjects();
        return difference(now, expected).values().stream().allMatch(n -> n == 0);
    }

    private String grew(String described, int allowed) {
        StringBuilder why = new StringBuilder("resource growth (" + described + "):");
        Map<String, Long> d = new TreeMap<>(difference(provider.liveObjects(), expected));
        d.values().removeIf(n -> n == 0);
        if (!d.isEmpty()) {
            why.append(" live native objects of ").append(provider.name()).append(" changed by ").append(d)
                    .append(" once the input's sessions were closed;");
        }
        int now = threads.getThreadCount();
        if (!threadsBack(allowed)) {
            Set<Long> before = Arrays.stream(threadIdsBefore).boxed().collect(Collectors.toSet());
            long[] started = Arrays.stream(threads.getAllThreadIds()).filter(id -> !before.contains(id)).toArray();
            String names = Arrays.stream(threads.getThreadInfo(started)).filter(Objects::nonNull)
                    .map(ThreadInfo::getThreadName).collect(Collectors.joining(", "));
            why.append(" threads ").append(threadsBefore).append(" -> ").append(now).append(" (at most ").append(allowed)
                    .append(" may stay), started by the input and still alive: [").append(names).append(']');
        }
        return why.toString();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 512)) + (bytes.length > 512 ? "..." : "");
    }
}
