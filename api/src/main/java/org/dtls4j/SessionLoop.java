package org.dtls4j;

/**
 * The thread a connection's session is driven on, as its {@link SessionDriver} and the
 * listener see it: tasks handed to it, timers on it, and whether the caller is on it. The NIO
 * transport's {@link EventLoop} is one; a transport driver's executor is another
 * ({@link ExecutorLoop}, for {@link DatagramListener}).
 *
 * <p>Implementations are thread-safe for {@link #execute} and {@link #inLoop};
 * {@link #schedule} is called on the loop.
 */
interface SessionLoop {

    /** A scheduled task, cancellable from the loop. */
    interface Timer {
        void cancel();
    }

    /** Whether the caller is this loop's thread. */
    boolean inLoop();

    /** Runs {@code task} on the loop, soon. */
    void execute(Runnable task);

    /** Runs {@code task} on the loop at {@code deadline} ({@link System#nanoTime()}); called on the loop. */
    Timer schedule(long deadline, Runnable task);
}
