package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.DtlsVersionException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.net.NetworkConditions;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.Test;

/**
 * Key updates ({@code DtlsSession.updateKeys()}; RFC 9147 section 8, RFC 8446 section 4.6.3):
 * in DTLS 1.3 both directions move to the next epoch while records flow, and records of the
 * old epoch that arrive late are still delivered; DTLS 1.2 has no key update and refuses it
 * with a typed error.
 *
 * <p>If these fail, check that {@code updateKeys} sends KeyUpdate(update_requested), that the
 * session ACKs the peer's KeyUpdate and answers it with its own, that a KeyUpdate (and its ACK)
 * is retransmitted on {@code nextTimeout()} after the handshake, that the receiving side keeps
 * the previous epoch's keys for records still in flight, and that a DTLS 1.2 session throws
 * {@code DtlsVersionException} (as {@code SessionPreconditions.requireKeyUpdatable} does).
 *
 * @since 0.1
 */
public interface KeyUpdateContract extends TckTarget {

    /**
     * Checks rule KU-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("KU-1")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "KeyUpdate is DTLS 1.3's (RFC 9147 section 8); KU-2 holds"
            + " earlier versions to refusing it")
    default void keyUpdatesFromEitherSideChangeBothEpochsWhileRecordsFlowAndCrossTheChange(TckRun run) {
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build())
                .conditions(NetworkConditions.CLEAN.withReordering(0.2))
                .build().start()) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            EpochFlow flow = new EpochFlow(pair);
            flow.exchange(10);
            flow.updateKeysWhileRecordsCrossTheChange(Side.CLIENT);
            flow.exchange(10);
            flow.updateKeysWhileRecordsCrossTheChange(Side.SERVER);
            flow.exchange(10);
            flow.assertAllDelivered();
        }
    }

    /**
     * Checks rule KU-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("KU-4")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "KeyUpdate is DTLS 1.3's (RFC 9147 section 8)")
    default void aLostKeyUpdateIsRetransmittedOnTheSessionsTimer(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            EpochFlow flow = new EpochFlow(pair);
            flow.exchange(3);
            flow.updateKeysLosingTheKeyUpdate(Side.CLIENT);
            flow.updateKeysLosingTheKeyUpdate(Side.SERVER);
            flow.exchange(3);
            flow.assertAllDelivered();
        }
    }

    /**
     * Checks rule KU-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("KU-2")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = "DTLS 1.3 has key updates:"
            + " KU-1 checks them")
    default void aKeyUpdateBeforeDtls13IsRefusedWithATypedErrorAndTheSessionStaysUsable(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            for (SessionPair.End end : new SessionPair.End[] {pair.client(), pair.server()}) {
                DtlsVersionException e = assertThrows(DtlsVersionException.class, () -> end.onLoop(() -> {
                    end.session().updateKeys();
                    return null;
                }), "updateKeys() on a " + run.version().standardName() + " session throws DtlsVersionException"
                        + " (SessionPreconditions.requireKeyUpdatable)");
                assertEquals(ProtocolVersion.DTLS_1_3, e.needed(), "the error names DTLS 1.3 as the version needed");
                assertEquals(run.version(), e.negotiated(), "and the version the session negotiated");
                assertEquals(DtlsSessionState.ESTABLISHED, end.session().state(), "the session is untouched");
            }
            pair.client().send(new byte[] {4, 2});
            Await.next(pair.server().records(), Tck.EVENT, () -> "a record after the refused key update");
            pair.server().send(ByteBuffer.allocate(3).array());
            Await.next(pair.client().records(), Tck.EVENT, () -> "a record back after the refused key update");
        }
    }

    /**
     * Checks rule KU-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("KU-3")
    default void aKeyUpdateThroughTheListenerLeavesTheConnectionCarryingRecords(TckRun run) throws Exception {
        try (DtlsContext server = run.serverProvider().newContext(UdpTransportContract.udpServer(run).build());
             DtlsContext client = run.clientProvider().newContext(UdpTransportContract.udpClient(run).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(UdpTransportContract.LOOPBACK, 0));
             DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), UdpTransportContract.WAIT)) {
            DtlsConnection accepted = listener.accept(UdpTransportContract.WAIT);
            byte tag = 0;
            for (DtlsConnection asks : List.of(c, accepted)) {
                if (run.version() == ProtocolVersion.DTLS_1_3) {
                    asks.updateKeys();
                } else {
                    assertThrows(DtlsVersionException.class, asks::updateKeys,
                            "DtlsConnection.updateKeys() on " + run.version().standardName() + " throws DtlsVersionException");
                }
                for (int i = 0; i < 5; i++) {
                    tag++;
                    for (DtlsConnection from : List.of(c, accepted)) {
                        DtlsConnection to = from == c ? accepted : c;
                        byte[] record = Tck.payload(64, tag);
                        from.send(ByteBuffer.wrap(record));
                        ByteBuffer got = ByteBuffer.allocate(256);
                        int n = to.receive(got, UdpTransportContract.WAIT);
                        assertArrayEquals(record, Arrays.copyOf(got.array(), n),
                                "record " + tag + " after the key update arrives whole");
                    }
                }
            }
        }
    }
}
