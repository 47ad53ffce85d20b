package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadScratchTest {

    /** A set that counts how many were made and closed. */
    private static final class Counted implements AutoCloseable {
        static final AtomicInteger MADE = new AtomicInteger();
        static final AtomicInteger CLOSED = new AtomicInteger();

        Counted() {
            MADE.incrementAndGet();
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }

    @Test
    void aSessionEnteringAgainSharesItsSetAndAnotherSessionEnteredInsideGetsOneOfItsOwnClosedOnExit() {
        ThreadScratch<Counted> scratch = new ThreadScratch<>(Counted::new);
        Object a = new Object();
        Object b = new Object();
        ThreadScratch.Lease<Counted> outer = scratch.enter(a);
        int closedBefore = Counted.CLOSED.get();
        try {
            ThreadScratch.Lease<Counted> again = scratch.enter(a);
            assertThat(again.buffers()).as("the same session, entered again").isSameAs(outer.buffers());
            again.exit();
            ThreadScratch.Lease<Counted> nested = scratch.enter(b);
            assertThat(nested.buffers()).as("another session, inside a callback").isNotSameAs(outer.buffers());
            ThreadScratch.Lease<Counted> backInA = scratch.enter(a);
            assertThat(backInA.buffers()).as("the first session again, inside the second's call: its own set")
                    .isSameAs(outer.buffers());
            assertThat(backInA.exit()).as("not its outermost call").isFalse();
            assertThat(nested.exit()).as("the second session's only call").isTrue();
            assertThat(Counted.CLOSED.get() - closedBefore).as("the nested set is closed on exit").isEqualTo(1);
            ThreadScratch.Lease<Counted> afterNested = scratch.enter(a);
            assertThat(afterNested.buffers()).as("the outer lease is current again").isSameAs(outer.buffers());
            afterNested.exit();
        } finally {
            outer.exit();
        }
        ThreadScratch.Lease<Counted> later = scratch.enter(b);
        try {
            assertThat(later.buffers()).as("the thread's own set, free again, for any session").isSameAs(outer.buffers());
        } finally {
            later.exit();
        }
        assertThat(Counted.CLOSED.get() - closedBefore).as("the thread's own set stays open").isEqualTo(1);
    }

    @Test
    void eachThreadHasASetOfItsOwn() throws Exception {
        ThreadScratch<Counted> scratch = new ThreadScratch<>(Counted::new);
        Object session = new Object();
        ThreadScratch.Lease<Counted> here = scratch.enter(session);
        try {
            Counted there = CompletableFuture.supplyAsync(() -> {
                ThreadScratch.Lease<Counted> l = scratch.enter(session);
                l.exit();
                return l.buffers();
            }).get(10, TimeUnit.SECONDS);
            assertThat(there).isNotSameAs(here.buffers());
        } finally {
            here.exit();
        }
    }
}
