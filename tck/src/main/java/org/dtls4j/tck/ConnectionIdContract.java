package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtls4j.Capability;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Connection IDs (RFC 9146), for providers that declare {@link Capability#CONNECTION_ID}:
 * both sides negotiate them, report them consistently (one side's local CID is the other's
 * peer CID), and records flow with them. Routing by CID on a listener is the transport's
 * business, not checked here.
 *
 * <p>If these fail, check that the provider sends the connection_id extension with a CID of
 * {@code DtlsConfig.connectionIdLength()} bytes, reports the negotiated CIDs in
 * {@code DtlsSessionInfo.Builder.connectionIds(local, peer)}, and accounts for the CID in
 * {@code maxRecordSize()}.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.CONNECTION_ID)
public interface ConnectionIdContract extends TckTarget {

    /**
     * Checks rule CID-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CID-1")
    default void connectionIdsAreNegotiatedAndReportedAlikeOnBothSides(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).connectionIdLength(4).build(), Tck.server(run).connectionIdLength(6).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            DtlsSessionInfo c = pair.client().established().join();
            DtlsSessionInfo s = pair.server().established().join();
            byte[] clientLocal = c.localConnectionId().orElseThrow(() -> new AssertionError("the client reports no local CID"));
            byte[] serverLocal = s.localConnectionId().orElseThrow(() -> new AssertionError("the server reports no local CID"));
            assertEquals(4, clientLocal.length, "the client's CID has the length it configured");
            assertEquals(6, serverLocal.length, "the server's CID has the length it configured");
            assertArrayEquals(clientLocal, s.peerConnectionId().orElseThrow(), "the client's local CID is the server's peer CID");
            assertArrayEquals(serverLocal, c.peerConnectionId().orElseThrow(), "the server's local CID is the client's peer CID");
        }
    }

    /**
     * Checks rule CID-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CID-2")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = Tck.TLS12_CID_ONLY)
    default void recordsFlowBothWaysWithConnectionIdsAndFitTheDatagram(TckRun run) {
        int datagram = 600;
        try (SessionPair pair = Tck.clean(run, Tck.client(run).connectionIdLength(8).maxDatagramSize(datagram).build(),
                Tck.server(run).connectionIdLength(8).maxDatagramSize(datagram).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            int max = pair.client().onLoop(() -> pair.client().session().maxRecordSize());
            byte[] big = Tck.payload(max, 3);
            pair.client().send(big);
            assertArrayEquals(big, Await.next(pair.server().records(), Tck.EVENT, () -> "a maximum-size record with a CID"));
            pair.server().send(new byte[] {4});
            assertArrayEquals(new byte[] {4}, Await.next(pair.client().records(), Tck.EVENT, () -> "the server's record"));
            for (WireEvent e : pair.link().wire()) {
                assertTrue(e.bytes().length <= datagram, "every datagram must fit maxDatagramSize " + datagram + ": " + e);
            }
            // RFC 9146: records protected after the handshake carry content type tls12_cid (25)
            byte[] lastFromClient = pair.link().wire().stream().filter(e -> e.from() == Side.CLIENT)
                    .reduce((a, b) -> b).orElseThrow().bytes();
            assertEquals(25, lastFromClient[0] & 0xff, "a record sent with a connection ID has content type tls12_cid");
        }
    }

    /**
     * Checks rule CID-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CID-3")
    default void noConnectionIdIsReportedWhenOnlyOneSideAsksForOne(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).connectionIdLength(4).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertTrue(pair.client().established().join().localConnectionId().isEmpty(),
                    "a server that does not support CIDs negotiates none");
            assertTrue(pair.server().established().join().peerConnectionId().isEmpty(), "the server reports none");
        }
    }
}
