package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsSessionState;
import org.junit.jupiter.api.Test;

/**
 * close_notify: end of stream for the peer, and a closed session refuses to send.
 *
 * <p>If these fail, check that {@code close()} emits the close_notify alert through
 * {@code onDatagram} before releasing the engine, and that a received close_notify calls
 * {@code onClosed()}.
 *
 * @since 0.1
 */
public interface CloseContract extends TckTarget {

    /**
     * Checks rule CL-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CL-1")
    default void closeNotifyEndsThePeersStream(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            pair.client().send(new byte[] {9});
            Await.next(pair.server().records(), Tck.EVENT, () -> "a record before close");
            pair.client().closeSession();
            Await.value(pair.server().closed(), Tck.EVENT, () -> "the server must see end of stream after close_notify\n"
                    + pair.describe());
            assertEquals(DtlsSessionState.CLOSED, pair.server().session().state(), "end of stream leaves the session CLOSED");
            assertEquals(DtlsSessionState.CLOSED, pair.client().session().state(), "close() leaves the session CLOSED");
            assertTrue(!pair.server().failed().isDone(), "close_notify is not a failure: " + pair.server().failed().getNow(null));
        }
    }

    /**
     * Checks rule CL-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CL-2")
    default void sendAfterLocalCloseThrowsClosed(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            pair.client().closeSession();
            pair.client().closeSession();
            assertThrows(DtlsClosedException.class, () -> pair.client().send(new byte[] {1}),
                    "send after close() must throw DtlsClosedException");
        }
    }

    /**
     * Checks rule CL-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CL-3")
    default void sendAfterThePeerClosedThrowsClosed(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            pair.server().closeSession();
            Await.value(pair.client().closed(), Tck.EVENT, () -> "the client must see end of stream");
            assertThrows(DtlsClosedException.class, () -> pair.client().send(new byte[] {1}),
                    "send after the peer's close_notify must throw DtlsClosedException");
        }
    }
}
