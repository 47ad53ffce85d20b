package org.dtls4j;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link SessionLoop} over a transport driver's single-threaded scheduled executor (a Netty
 * channel's event loop is one): tasks and timers go to the executor, and the driver says
 * whether the caller is on its thread.
 *
 * <p>Thread-safe as its executor is; {@link #schedule} is called on the loop.
 */
final class ExecutorLoop implements SessionLoop {

    private static final System.Logger LOG = System.getLogger(ExecutorLoop.class.getName());

    private final ScheduledExecutorService executor;
    private final BooleanSupplier inLoop;

    ExecutorLoop(ScheduledExecutorService executor, BooleanSupplier inLoop) {
        this.executor = executor;
        this.inLoop = inLoop;
    }

    @Override
    public boolean inLoop() {
        return inLoop.getAsBoolean();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(() -> safely(task));
    }

    @Override
    public Timer schedule(long deadline, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(() -> safely(task), deadline - System.nanoTime(),
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            // A scheduled future would keep the exception to itself: say it, as EventLoop does.
            LOG.log(System.Logger.Level.ERROR, "uncaught exception on the DTLS driver's loop", e);
        }
    }
}
