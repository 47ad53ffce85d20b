package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PeerVerification;
import org.dtls4j.SharedKeys;
import org.junit.jupiter.api.Test;

/**
 * Session tickets under shared keys, for providers that declare
 * {@link Capability#SHARED_SESSION_TICKETS}: two server contexts built from the same
 * {@link SharedKeys} are two nodes of one service, and a client that resumes at the other node
 * gets an abbreviated handshake; a node with other keys makes a full one; a ticket resumes in
 * the next generation of the keys, not in the one after; and a node that asks more of its
 * clients than the one that made a session does not resume it.
 *
 * <p>If these fail, check that the server protects its tickets with
 * {@code spi.TicketKeys} (names, AES and HMAC keys of the current and previous generation, on
 * the keys' clock), and that a client offers the session_ticket extension and keeps the ticket
 * it gets with the session it caches, and that the server binds its sessions to
 * {@code spi.ConfigFacts.clientRequirements} (ST-4).
 *
 * @since 0.1
 */
@RequiresCapability(Capability.SHARED_SESSION_TICKETS)
public interface SharedTicketsContract extends TckTarget {

    /** The rotation period of the contract's keys; the clock only moves when a test moves it. */
    Duration ROTATION = Duration.ofMinutes(10);

    /**
     * Checks rule ST-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("ST-1")
    default void aSessionMadeAtOneNodeResumesAtAnotherWithTheSameKeys(TckRun run) {
        SharedKeys keys = keys(run.seed(), new MutableClock());
        try (DtlsContext client = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext nodeA = node(run, keys);
             DtlsContext nodeB = node(run, keys)) {
            assertFalse(handshake(run, client, nodeA, "node A")[0].resumed(), "a first handshake is full");
            DtlsSessionInfo[] atB = handshake(run, client, nodeB, "node B");
            assertTrue(atB[0].resumed(), "the client must resume at node B the session node A made");
            assertTrue(atB[1].resumed(), "node B must report the resumption");
        }
    }

    /**
     * Checks rule ST-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("ST-2")
    default void aNodeWithOtherKeysMakesAFullHandshake(TckRun run) {
        MutableClock clock = new MutableClock();
        try (DtlsContext client = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext nodeA = node(run, keys(run.seed(), clock));
             DtlsContext nodeC = node(run, keys(run.seed() + 1, clock))) {
            handshake(run, client, nodeA, "node A");
            DtlsSessionInfo[] atC = handshake(run, client, nodeC, "node C");
            assertFalse(atC[0].resumed(), "a ticket under other keys must not resume (client side)");
            assertFalse(atC[1].resumed(), "a ticket under other keys must not resume (node C)");
        }
    }

    /**
     * Checks rule ST-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("ST-3")
    default void aTicketResumesInTheNextGenerationAndNotInTheOneAfter(TckRun run) {
        MutableClock clock = new MutableClock();
        SharedKeys keys = keys(run.seed(), clock);
        try (DtlsContext nextClient = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext laterClient = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext nodeA = node(run, keys);
             DtlsContext nodeB = node(run, keys)) {
            handshake(run, nextClient, nodeA, "node A, generation g");
            handshake(run, laterClient, nodeA, "node A, generation g");
            clock.advance(ROTATION);
            DtlsSessionInfo[] next = handshake(run, nextClient, nodeB, "node B, generation g+1");
            assertTrue(next[0].resumed() && next[1].resumed(), "a ticket of generation g must resume in g+1");
            clock.advance(ROTATION);
            DtlsSessionInfo[] later = handshake(run, laterClient, nodeB, "node B, generation g+2");
            assertFalse(later[0].resumed() || later[1].resumed(), "a ticket of generation g must not resume in g+2");
        }
    }

    /**
     * Checks rule ST-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("ST-4")
    default void aNodeThatRequiresClientCertificatesDoesNotResumeASessionMadeWhereNoneWasAsked(TckRun run) {
        SharedKeys keys = keys(run.seed(), new MutableClock());
        DtlsConfig lenient = Tck.server(run).sessionTicketKeys(keys).build();
        DtlsConfig strict = lenient.toBuilder().trustedCertificates(TckPki.get().caCertificate())
                .peerVerification(PeerVerification.REQUIRED).build();
        try (DtlsContext client = run.clientProvider().newContext(Tck.client(run).credentials(TckPki.get().ecClient())
                     .build());
             DtlsContext nodeA = run.serverProvider().newContext(lenient);
             DtlsContext likeA = run.serverProvider().newContext(lenient);
             DtlsContext requiresCertificates = run.serverProvider().newContext(strict)) {
            assertFalse(handshake(run, client, nodeA, "node A")[1].resumed(), "a first handshake is full");
            assertTrue(handshake(run, client, likeA, "a node configured as A")[1].resumed(),
                    "a node with A's keys and requirements must resume A's session");
            DtlsSessionInfo[] strictInfo = handshake(run, client, requiresCertificates, "a node requiring certificates");
            assertFalse(strictInfo[0].resumed() || strictInfo[1].resumed(),
                    "a node that requires client certificates must not resume a session made where none was asked");
            assertFalse(strictInfo[1].peerCertificates().isEmpty(), "its full handshake verified the client's chain");
        }
    }

    private static SharedKeys keys(long seed, MutableClock clock) {
        byte[] secret = new byte[SharedKeys.MIN_SECRET_BYTES];
        new Random(seed).nextBytes(secret);
        return SharedKeys.of(secret).withRotation(ROTATION).withClock(clock);
    }

    private static DtlsContext node(TckRun run, SharedKeys keys) {
        return run.serverProvider().newContext(Tck.server(run).sessionTicketKeys(keys).build());
    }

    /** A clean handshake of {@code client} with {@code node}, then close; the client's and the node's info. */
    private static DtlsSessionInfo[] handshake(TckRun run, DtlsContext client, DtlsContext node, String what) {
        try (SessionPair pair = Tck.pair(run).contexts(client, node).build().start()) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            DtlsSessionInfo[] out = {pair.client().established().join(), pair.server().established().join()};
            pair.client().closeSession();
            Await.value(pair.server().closed(), Tck.EVENT, () -> "close_notify after the handshake with " + what);
            return out;
        }
    }
}
