package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.net.NetworkConditions;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input: it is dropped and counted, never a crash, a failed session or
 * a delivery.
 *
 * <p>If these fail, check that {@code receive} drops malformed, unauthenticated,
 * unknown-epoch and replayed datagrams (RFC 6347 sections 4.1.2.6 and 4.1.2.7), counts
 * them in {@code droppedDatagrams()}, and does not call {@code onFailed} for them.
 *
 * @since 0.1
 */
public interface RobustnessContract extends TckTarget {

    /**
     * Checks rule RB-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RB-1")
    default void garbageDuringTheHandshakeIsDroppedAndCounted(TckRun run) {
        long seed = run.seed();
        Random random = new Random(seed);
        AtomicInteger injected = new AtomicInteger();
        try (SessionPair pair = SessionPair.builder(run.clientProvider(), run.serverProvider()).seed(seed)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).build()) {
            // Before every real datagram, the receiver first gets a garbage one.
            pair.link().filter((from, bytes) -> {
                int n = injected.getAndIncrement();
                if (n < 200) {
                    byte[] junk;
                    synchronized (random) {
                        junk = Garbage.make(n, bytes, random);
                    }
                    pair.link().inject(from.peer(), junk);
                }
                return false;
            });
            pair.start();
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            pair.link().filter((from, bytes) -> false);
            pair.client().send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, Await.next(pair.server().records(), Tck.EVENT, () -> "a record after the garbage"));
            long dropped = pair.client().session().droppedDatagrams() + pair.server().session().droppedDatagrams();
            assertTrue(dropped > 0, "garbage must be counted in droppedDatagrams(); injected " + injected.get());
        }
    }

    /**
     * Checks rule RB-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RB-2")
    default void corruptedAndGarbageDatagramsAfterTheHandshakeAreDropped(TckRun run) {
        long seed = run.seed();
        Random random = new Random(seed);
        try (SessionPair pair = SessionPair.builder(run.clientProvider(), run.serverProvider()).seed(seed)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).build().start()) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            long droppedBefore = pair.server().session().droppedDatagrams();
            pair.link().conditions(NetworkConditions.CLEAN.withCorruption(0.5, true));
            int n = 40;
            byte[] last = new byte[0];
            for (int i = 0; i < n; i++) {
                byte[] junk = Garbage.make(i, last, random);
                pair.link().inject(Side.SERVER, junk);
                pair.client().send(Tck.payload(64, i));
                List<WireEvent> wire = pair.link().wire();
                last = wire.get(wire.size() - 1).bytes();
            }
            pair.link().conditions(NetworkConditions.CLEAN);
            pair.client().send(Tck.payload(64, 200));
            Set<Integer> seen = new HashSet<>();
            while (true) {
                byte[] r = Await.next(pair.server().records(), Tck.EVENT, () -> "the last record, sent on a clean link\n"
                        + pair.describe());
                int tag = r[0] & 0xff;
                assertArrayEquals(Tck.payload(64, tag), r, "a corrupted record must never be delivered");
                assertTrue(seen.add(tag), "record " + tag + " delivered twice");
                if (tag == 200) {
                    break;
                }
            }
            long corrupted = pair.link().wire().stream().filter(e -> e.fate() == WireEvent.Fate.CORRUPTED).count();
            assertTrue(corrupted > 0, "the link must have corrupted something (seed " + seed + ")");
            assertTrue(pair.server().session().droppedDatagrams() - droppedBefore >= corrupted,
                    "every corrupted datagram must be counted as dropped: corrupted " + corrupted + ", counted "
                    + (pair.server().session().droppedDatagrams() - droppedBefore));
            assertEquals(DtlsSessionState.ESTABLISHED, pair.server().session().state(), "the session survives");
            assertTrue(!pair.server().failed().isDone(), "no failure for bad input: " + pair.server().failed().getNow(null));
        }
    }

    /**
     * Checks rule RB-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RB-3")
    default void replayedRecordIsDeliveredOnce(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            byte[] recorded = Tck.firstClientRecord(pair);
            long droppedBefore = pair.server().session().droppedDatagrams();
            for (int i = 0; i < 3; i++) {
                pair.link().inject(Side.SERVER, recorded);
            }
            pair.client().send(new byte[] {2});
            byte[] next = Await.next(pair.server().records(), Tck.EVENT, () -> "the second record");
            assertArrayEquals(new byte[] {2}, next, "a replayed record must not be delivered again");
            assertEquals(droppedBefore + 3, pair.server().session().droppedDatagrams(), "each replay is counted as dropped");
        }
    }

    /**
     * Checks rule RB-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RB-4")
    default void aForgedRecordTooShortToAuthenticateIsDroppedNotFatal(TckRun run) {
        Random random = new Random(run.seed());
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            byte[] real = Tck.firstClientRecord(pair);
            long droppedBefore = pair.server().session().droppedDatagrams();
            int forged = 0;
            for (int type : new int[] {20, 21, 22, 23}) {
                for (int length = 0; length < 24; length++) {
                    byte[] d = Garbage.shortRecord(real, type, length, random);
                    if (d != null) {
                        pair.link().inject(Side.SERVER, d);
                        forged++;
                    }
                }
            }
            pair.client().send(new byte[] {2});
            assertArrayEquals(new byte[] {2}, Await.next(pair.server().records(), Tck.EVENT,
                    () -> "a real record after " + pair.describe()), "the session must survive forged short records");
            assertEquals(DtlsSessionState.ESTABLISHED, pair.server().session().state(), "the session survives");
            assertTrue(!pair.server().failed().isDone(), "a forged record is never fatal: " + pair.server().failed().getNow(null));
            assertTrue(pair.server().session().droppedDatagrams() - droppedBefore >= forged,
                    "each forged record is counted as dropped: forged " + forged + ", counted "
                    + (pair.server().session().droppedDatagrams() - droppedBefore));
        }
    }
}
