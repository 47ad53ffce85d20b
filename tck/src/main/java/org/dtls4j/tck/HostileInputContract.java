package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.Test;

/**
 * The failure modes of DTLS implementations that attackers and state fuzzers have found
 * (unbounded handshake reassembly, Finished before ChangeCipherSpec, forged sequence numbers,
 * next-epoch records, alerts at odd moments), as contracts over the in-memory link.
 *
 * <p>If these fail, check that the session drops handshake fragments that lie about their
 * message (RFC 6347 section 4.2.3) before its backend buffers them, never takes a record of
 * the next epoch before the ChangeCipherSpec, moves its replay window only for records that
 * authenticate (RFC 6347 section 4.1.2.6), and reports a received fatal alert as the peer's.
 *
 * @since 0.1
 */
public interface HostileInputContract extends TckTarget {

    /**
     * Checks rule HI-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-1")
    default void handshakeFragmentsThatLieAboutTheirMessageAreDroppedAndTheHandshakeCompletes(TckRun run) {
        try (SessionPair pair = Tck.pair(run).clientConfig(Tck.client(run).build())
                .serverConfig(Tck.server(run).build()).build()) {
            Tamper tamper = Tamper.install(pair, (to, point, datagram) -> {
                List<byte[]> records = HostileRecords.records(datagram);
                records.set(0, HostileRecords.withLyingFragments(records.get(0)));
                return List.of(HostileRecords.datagram(records));
            });
            pair.start();
            HostileInputs.awaitWorking(pair, "after fragments that claim 16 MB, lie past their message's end or overlap");
            assertTrue(tamper.points(Side.CLIENT) > 0 && tamper.points(Side.SERVER) > 0,
                    "the link must have bent a datagram to each side: " + tamper.points(Side.CLIENT) + ", "
                    + tamper.points(Side.SERVER));
        }
    }

    /**
     * Checks rule HI-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-2")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = HostileInputs.CCS_ONLY)
    default void aFinishedInEpochOneBeforeTheChangeCipherSpecIsNotTaken(TckRun run) {
        Random random = new Random(run.seed());
        try (SessionPair pair = Tck.pair(run).clientConfig(Tck.client(run).build())
                .serverConfig(Tck.server(run).build()).build()) {
            Set<Side> done = EnumSet.noneOf(Side.class);
            pair.link().filter((from, bytes) -> {
                List<byte[]> records = HostileRecords.records(bytes);
                int ccs = HostileInputs.indexOfChangeCipherSpec(records);
                if (ccs < 0 || !done.add(from)) {
                    return false;
                }
                // A forged Finished of epoch 1, then the real epoch-1 records, then what came before them.
                List<byte[]> reordered = new ArrayList<>();
                reordered.add(HostileRecords.forged(bytes, HostileRecords.HANDSHAKE, 1, 0, 40, random));
                reordered.addAll(records.subList(ccs + 1, records.size()));
                reordered.addAll(records.subList(0, ccs + 1));
                pair.link().inject(from.peer(), HostileRecords.datagram(reordered));
                return true;
            });
            pair.start();
            HostileInputs.awaitWorking(pair, "after epoch-1 Finished records ahead of the ChangeCipherSpec");
            assertEquals(2, done.size(), "both sides' ChangeCipherSpec must have been seen");
        }
    }

    /**
     * Checks rule HI-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-3")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = HostileInputs.CCS_ONLY)
    default void aChangeCipherSpecWithABadBodyIsDropped(TckRun run) {
        byte[][] bad = {{2}, {1, 1}, {}, {0}};
        try (SessionPair pair = Tck.pair(run).clientConfig(Tck.client(run).build())
                .serverConfig(Tck.server(run).build()).build()) {
            int[] injected = new int[2];
            pair.link().filter((from, bytes) -> {
                List<byte[]> records = HostileRecords.records(bytes);
                int ccs = HostileInputs.indexOfChangeCipherSpec(records);
                if (ccs < 0 || injected[from.ordinal()] >= bad.length) {
                    return false;
                }
                byte[] real = records.get(ccs);
                byte[] body = bad[injected[from.ordinal()]++];
                pair.link().inject(from.peer(), HostileRecords.record(real, HostileRecords.CHANGE_CIPHER_SPEC, 0,
                        HostileRecords.sequence(real), body));
                return false;
            });
            pair.start();
            HostileInputs.awaitWorking(pair, "after ChangeCipherSpecs with the bodies {2}, {1, 1}, {} and {0}");
            assertTrue(injected[0] > 0 && injected[1] > 0, "both sides' ChangeCipherSpec must have been seen");
        }
    }

    /**
     * Checks rule HI-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-4")
    default void aFatalAlertOfAnyDescriptionDuringTheHandshakeIsReportedAsThePeers(TckRun run) {
        try (DtlsContext client = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext server = run.serverProvider().newContext(Tck.server(run).build())) {
            // The handshake states at which each side reads plaintext from a peer it has answered:
            // before each plaintext handshake datagram to it that is not a ClientHello (a server
            // before its cookie exchange is the listener's, and keeps no state to fail).
            Map<Side, Integer> states = new EnumMap<>(Side.class);
            try (SessionPair pair = Tck.pair(run).contexts(client, server).serverAddress(HostileInputs.serverAddress(0))
                    .build()) {
                Tamper.install(pair, (to, point, datagram) -> {
                    if (HostileInputs.answersAHello(datagram)) {
                        states.merge(to, 1, Integer::sum);
                    }
                    return null;
                });
                pair.start();
                pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            }
            List<Side> victims = new ArrayList<>(states.keySet());
            assertTrue(!victims.isEmpty(), "a handshake must send a plaintext handshake datagram other than a ClientHello");
            int i = 0;
            for (DtlsAlert alert : DtlsAlert.values()) {
                if (alert == DtlsAlert.CLOSE_NOTIFY || alert == DtlsAlert.UNKNOWN) {
                    continue;
                }
                Side victim = victims.get(i % victims.size());
                int state = (i / victims.size()) % states.get(victim);
                i++;
                // A handshake may take another shape than the first (a retransmission packed
                // otherwise): a state it does not reach is tried again at the first one.
                if (!fatalAlertIsReportedAsThePeers(run, client, server, 2 * i, victim, state, alert)) {
                    assertTrue(fatalAlertIsReportedAsThePeers(run, client, server, 2 * i + 1, victim, 0, alert),
                            "the " + victim + " must read a plaintext handshake datagram that is not a ClientHello");
                }
            }
        }
    }

    /**
     * Injects a fatal {@code alert} before the {@code state}-th plaintext handshake datagram to
     * {@code victim} that is not a ClientHello, and checks that it fails with the peer's alert.
     *
     * @return false if the handshake completed without reaching that state
     */
    private static boolean fatalAlertIsReportedAsThePeers(TckRun run, DtlsContext client, DtlsContext server, int n,
                                                         Side victim, int state, DtlsAlert alert) {
        // A new server address for each pair: a full handshake every time, never a resumption.
        try (SessionPair pair = Tck.pair(run).contexts(client, server).serverAddress(HostileInputs.serverAddress(n))
                .build()) {
            int[] seen = {0};
            boolean[] injected = {false};
            Tamper.install(pair, (to, point, datagram) -> {
                if (to != victim || !HostileInputs.answersAHello(datagram) || seen[0]++ != state) {
                    return null;
                }
                injected[0] = true;
                return List.of(HostileRecords.alert(datagram, 2, alert.code()), datagram);
            });
            pair.start();
            SessionPair.End end = victim == Side.CLIENT ? pair.client() : pair.server();
            String what = "a fatal " + alert + " alert from the peer, before the " + victim + "'s plaintext handshake"
                    + " datagram #" + state + " that is no ClientHello";
            Await.until(() -> end.failed().isDone() || end.established().isDone(), Tck.EVENT, () -> what + "\n"
                    + pair.describe());
            if (end.established().isDone() && !injected[0]) {
                return false;
            }
            DtlsAlertException e = Tck.failedWithAlert(pair, end, what);
            assertEquals(alert, e.alert(), what + ": the peer's description is reported");
            assertEquals(DtlsAlertException.Origin.PEER, e.origin(), what + ": reported as the peer's: " + e);
            return true;
        }
    }

    /**
     * Checks rule HI-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-5")
    default void warningAlertsDuringTheHandshakeAndPlaintextAlertsAfterItKillNoSession(TckRun run) {
        List<DtlsAlert> warnings = HostileInputs.warningsThatMayNotKill(run.version());
        try (SessionPair pair = Tck.pair(run).clientConfig(Tck.client(run).build())
                .serverConfig(Tck.server(run).build()).build()) {
            int[] next = {0};
            Tamper.install(pair, (to, point, datagram) -> {
                List<byte[]> out = new ArrayList<>();
                out.add(HostileRecords.alert(datagram, 1, warnings.get(next[0]++ % warnings.size()).code()));
                out.add(datagram);
                return out;
            });
            pair.start();
            HostileInputs.awaitWorking(pair, "after a warning alert (" + warnings + ") before each handshake datagram");
            assertTrue(next[0] > 0, "the link must have sent warning alerts");
            byte[] like = pair.link().wire().get(0).bytes();
            for (DtlsAlert alert : DtlsAlert.values()) {
                for (int level = 1; level <= 2; level++) {
                    for (Side to : Side.values()) {
                        pair.link().inject(to, HostileRecords.record(like, HostileRecords.ALERT, 0, 1000 + alert.ordinal(),
                                new byte[] {(byte) level, (byte) alert.code()}));
                    }
                }
            }
            HostileInputs.assertRecordsFlow(pair, "after unauthenticated epoch-0 alerts of every description and level"
                    + " once established");
        }
    }

    /**
     * Checks rule HI-6 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-6")
    default void aForgedRecordNumberedTwoToTheFortyEighthLessOneDoesNotMoveTheReplayWindow(TckRun run) {
        Random random = new Random(run.seed());
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            byte[] real = Tck.firstClientRecord(pair);
            long droppedBefore = pair.server().session().droppedDatagrams();
            int forged = 0;
            for (long sequence : new long[] {HostileRecords.LAST_SEQUENCE, HostileRecords.LAST_SEQUENCE - 1, 1L << 40, 100}) {
                byte[] fake = HostileRecords.isUnified(real[0])
                        ? HostileRecords.forgedUnified(real[0] & 3, (int) sequence & 0xffff, real.length - 5, random)
                        : HostileRecords.forged(real, HostileRecords.APPLICATION_DATA, HostileRecords.epoch(real), sequence,
                                real.length - HostileRecords.HEADER, random);
                pair.link().inject(Side.SERVER, fake);
                forged++;
            }
            for (int tag = 2; tag < 5; tag++) {
                pair.client().send(new byte[] {(byte) tag});
                byte[] r = Await.next(pair.server().records(), Tck.EVENT, () -> "a real record after records forged with"
                        + " sequence numbers up to 2^48-1 (they must not move the replay window)\n" + pair.describe());
                assertArrayEquals(new byte[] {(byte) tag}, r, "the real records arrive in order");
            }
            assertTrue(pair.server().session().droppedDatagrams() - droppedBefore >= forged,
                    "each forged record is counted as dropped");
            assertEquals(DtlsSessionState.ESTABLISHED, pair.server().session().state(), "the session survives");
        }
    }

    /**
     * Checks rule HI-7 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HI-7")
    default void recordsOfAFutureEpochDuringTheHandshakeAreDropped(TckRun run) {
        Random random = new Random(run.seed());
        try (SessionPair pair = Tck.pair(run).clientConfig(Tck.client(run).build())
                .serverConfig(Tck.server(run).build()).build()) {
            Tamper.install(pair, (to, point, datagram) -> {
                List<byte[]> out = new ArrayList<>();
                for (int epoch = 1; epoch <= 3; epoch++) {
                    byte[] relabelled = datagram.clone();
                    relabelled[4] = (byte) epoch;
                    out.add(relabelled);
                    out.add(HostileRecords.forged(datagram, HostileRecords.HANDSHAKE, epoch, point, 48, random));
                    out.add(HostileRecords.forged(datagram, HostileRecords.APPLICATION_DATA, epoch, point, 48, random));
                    out.add(HostileRecords.forgedUnified(epoch, point, 48, random));
                }
                out.add(datagram);
                return out;
            });
            pair.start();
            HostileInputs.awaitWorking(pair, "after records of epochs 1 to 3 before each plaintext handshake datagram");
        }
    }
}
