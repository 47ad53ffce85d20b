package org.dtls4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One I/O thread: a selector for the channels it owns, a queue of tasks other threads hand
 * it, and one timer heap for every session it drives. Nothing here blocks but the select.
 *
 * <p>Thread-safe entry points: {@link #execute}, {@link #schedule}, {@link #shutdown}.
 * Everything else runs on the loop's own thread.
 */
final class EventLoop implements SessionLoop, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();

    /** A timer entry; cancelled entries stay in the heap until they come due. */
    static final class Timer implements SessionLoop.Timer, Comparable<Timer> {
        final long deadline;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline - o.deadline, 0);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    EventLoop(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this::run, "dtls4j-" + name + "-" + IDS.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop, soon. Dropped silently once the loop has stopped. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on the loop at {@code deadline} ({@link System#nanoTime()}); must be called on the loop. */
    @Override
    public Timer schedule(long deadline, Runnable task) {
        Timer t = new Timer(deadline, task);
        timers.add(t);
        return t;
    }

    /** Registers a channel for reads; the handler runs on the loop whenever it is readable. */
    void register(java.nio.channels.DatagramChannel channel, Consumer<SelectionKey> onReadable) {
        execute(() -> {
            try {
                channel.register(selector, SelectionKey.OP_READ, onReadable);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot register channel", e);
            }
        });
    }

    /**
     * Stops watching {@code channel}; the returned future completes on the loop once the
     * selector has let go of it (only then may the channel switch to blocking mode).
     */
    java.util.concurrent.CompletableFuture<Void> deregister(java.nio.channels.DatagramChannel channel) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        execute(() -> {
            SelectionKey key = channel.keyFor(selector);
            if (key != null) {
                key.cancel();
            }
            try {
                selector.selectNow();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "selectNow after deregistering", e);
            }
            done.complete(null);
        });
        return done;
    }

    private void run() {
        try {
            while (running) {
                long wait = runDueTimers();
                if (!tasks.isEmpty()) {
                    selector.selectNow();
                } else if (wait == Long.MAX_VALUE) {
                    selector.select();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        @SuppressWarnings("unchecked")
                        Consumer<SelectionKey> handler = (Consumer<SelectionKey>) key.attachment();
                        safely(() -> handler.accept(key));
                    }
                }
                selector.selectedKeys().clear();
                for (int i = 0, n = tasks.size(); i < n; i++) {
                    Runnable task = tasks.poll();
                    if (task == null) {
                        break;
                    }
                    safely(task);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.WARNING, "event loop stopped by an I/O error", e);
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            stopped.countDown();
        }
    }

    /** Runs every due timer; returns the nanoseconds until the next, or Long.MAX_VALUE. */
    private long runDueTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null) {
            if (t.cancelled) {
                timers.poll();
                continue;
            }
            long wait = t.deadline - now;
            if (wait > 0) {
                return wait;
            }
            timers.poll();
            safely(t.task);
            now = System.nanoTime();
        }
        return Long.MAX_VALUE;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            // One session's bug must not stop the loop every other session depends on.
            LOG.log(System.Logger.Level.ERROR, "uncaught exception on the DTLS event loop", e);
        }
    }

    /** Stops the loop after the tasks already queued; returns at once. */
    void shutdown() {
        execute(() -> running = false);
    }

    /** Stops the loop and waits (up to 5 s) for its thread to end. */
    @Override
    public void close() {
        shutdown();
        if (!inLoop()) {
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
