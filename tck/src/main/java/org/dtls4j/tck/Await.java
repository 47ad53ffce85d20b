package org.dtls4j.tck;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting with a deadline, never sleeping blind.
 *
 * <p>Thread-safe: static methods over their arguments.
 *
 * @since 0.1
 */
public final class Await {

    private Await() {
    }

    /** The future's value, or an AssertionError saying what did not happen in time. */
    static <T> T value(CompletableFuture<T> future, Duration timeout, Supplier<String> what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what.get() + " (waited " + timeout.toMillis() + " ms)");
        } catch (ExecutionException e) {
            throw new AssertionError(what.get() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next queued item, or an AssertionError saying what did not arrive. */
    static <T> T next(BlockingQueue<T> queue, Duration timeout, Supplier<String> what) {
        try {
            T t = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (t == null) {
                throw new AssertionError(what.get() + " (waited " + timeout.toMillis() + " ms)");
            }
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Waits until the condition holds, checking every millisecond, or fails.
     *
     * @param condition what must come true
     * @param timeout how long it may take
     * @param what what did not happen in time, for the failure's message
     * @throws AssertionError if the condition still does not hold at the deadline
     */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what.get() + " (waited " + timeout.toMillis() + " ms)");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
