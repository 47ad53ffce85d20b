package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsPeerUnresponsiveException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Peer liveness with the heartbeat extension (RFC 6520), for providers that declare
 * {@link Capability#HEARTBEAT}: a session learns within a bound whether its peer is alive.
 * A live peer answers heartbeat requests, so an association that carries no data stays up;
 * a peer that has gone silent is reported dead within
 * {@code heartbeatInterval + heartbeatTimeout}, through {@code onFailed} with a
 * {@link DtlsPeerUnresponsiveException}.
 *
 * <p>If these fail, check that the provider negotiates the heartbeat extension when
 * {@code DtlsConfig.heartbeat()} is on, sends a request after {@code heartbeatInterval()} of
 * silence (driven through {@code nextTimeout()}/{@code handleTimeout()} or its own timer),
 * answers the peer's requests, and fails the session once a request has gone unanswered
 * for {@code heartbeatTimeout()}.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.HEARTBEAT)
public interface HeartbeatContract extends TckTarget {

    /** The content type of heartbeat records (RFC 6520 section 3). */
    int HEARTBEAT = 24;
    /** The heartbeat interval of the live-peer tests. */
    Duration LIVE_INTERVAL = Duration.ofMillis(40);
    /** The heartbeat timeout of the live-peer tests. */
    Duration LIVE_TIMEOUT = Duration.ofMillis(300);

    /**
     * Checks rule HB-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HB-1")
    default void heartbeatsFlowBothWaysOnAnIdleAssociation(TckRun run) {
        try (SessionPair pair = livePair(run)) {
            int start = pair.link().wire().size();
            // Idle for several heartbeat timeouts: requests and responses must keep flowing both ways.
            Await.until(() -> heartbeats(pair, start, Side.CLIENT) >= 6 && heartbeats(pair, start, Side.SERVER) >= 6,
                    Tck.EVENT, () -> "heartbeats must flow both ways on an idle association\n" + pair.describe());
        }
    }

    /**
     * Checks rule HB-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HB-3")
    default void anIdleAssociationWithALivePeerStaysUp(TckRun run) {
        try (SessionPair pair = livePair(run)) {
            int start = pair.link().wire().size();
            // Measured on the wire, from the first heartbeat after the handshake.
            Await.until(() -> {
                List<WireEvent> wire = pair.link().wire(); // one copy: the link keeps growing meanwhile
                return wire.size() > start + 1 && wire.get(wire.size() - 1).nanos() - wire.get(start).nanos()
                        > 2 * (LIVE_INTERVAL.toNanos() + LIVE_TIMEOUT.toNanos());
            }, Tck.EVENT, () -> "the association must stay idle for longer than the liveness bound\n" + pair.describe());
            assertTrue(!pair.client().failed().isDone(), "a live peer is not reported dead: " + pair.client().failed().getNow(null));
            assertTrue(!pair.server().failed().isDone(), "a live peer is not reported dead: " + pair.server().failed().getNow(null));
            pair.client().send(new byte[] {6});
            assertArrayEquals(new byte[] {6}, Await.next(pair.server().records(), Tck.EVENT, () -> "a record after idling"));
        }
    }

    /** An established pair whose ends both send heartbeats every {@link #LIVE_INTERVAL}. */
    private static SessionPair livePair(TckRun run) {
        DtlsConfig client = Tck.client(run).heartbeat(LIVE_INTERVAL, LIVE_TIMEOUT).build();
        DtlsConfig server = Tck.server(run).heartbeat(LIVE_INTERVAL, LIVE_TIMEOUT).build();
        SessionPair pair = Tck.clean(run, client, server);
        try {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /**
     * Checks rule HB-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HB-2")
    default void aSilentPeerIsReportedDeadWithinTheConfiguredBound(TckRun run) {
        Duration interval = Duration.ofMillis(50);
        Duration timeout = Duration.ofMillis(250);
        DtlsConfig client = Tck.client(run).heartbeat(interval, timeout).build();
        DtlsConfig server = Tck.server(run).heartbeat(interval, timeout).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            long silent = System.nanoTime();
            pair.link().filter((from, bytes) -> true); // the path goes dead both ways
            Duration bound = interval.plus(timeout);
            DtlsException failure = Await.value(pair.client().failed(), bound.plusSeconds(5),
                    () -> "a peer that went silent must be reported dead\n" + pair.describe());
            long took = System.nanoTime() - silent;
            assertInstanceOf(DtlsPeerUnresponsiveException.class, failure,
                    "a dead peer is reported as DtlsPeerUnresponsiveException, got " + failure);
            assertTrue(took >= timeout.toNanos() && took <= bound.toNanos() + 1_000_000_000L, String.format(
                    "the peer must be reported dead after its heartbeat timeout and within interval + timeout"
                    + " (%d ms); came after %.1f ms", bound.toMillis(), took / 1e6));
            assertEquals(DtlsSessionState.FAILED, pair.client().session().state(), "a session with a dead peer is FAILED");
            assertEquals(1, pair.client().failureCount(), "onFailed is called exactly once");
            long next = pair.client().onLoop(() -> pair.client().session().nextTimeout());
            assertEquals(DtlsSession.NO_TIMEOUT, next, "a failed session arms no timer");
            long requests = pair.link().wire().stream()
                    .filter(e -> e.from() == Side.CLIENT && e.fate() == WireEvent.Fate.FILTERED && isHeartbeat(e)).count();
            assertTrue(requests >= 1, "the client must have sent heartbeat requests into the dead path\n" + pair.describe());
        }
    }

    private static long heartbeats(SessionPair pair, int from, Side side) {
        var wire = pair.link().wire();
        return wire.subList(from, wire.size()).stream().filter(e -> e.from() == side && isHeartbeat(e)).count();
    }

    private static boolean isHeartbeat(WireEvent e) {
        return e.bytes().length > 0 && (e.bytes()[0] & 0xff) == HEARTBEAT;
    }
}
