package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsTimeoutException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.Test;

/**
 * A peer whose address changes keeps its session through connection IDs (RFC 9146 section 6,
 * RFC 9147 section 9), for providers that declare {@link Capability#CONNECTION_ID}: the
 * session proves which records may move it, and the api's listener moves it only on that
 * proof. In memory the proof itself ({@code DtlsSessionListener.onNewestRecordAuthenticated});
 * over UDP through {@link DtlsServer} and {@link org.dtls4j.DtlsClient}, with a relay that gives the
 * client a new source port, as a NAT that rebinds does.
 *
 * <p>If these fail, check that the session calls {@code onNewestRecordAuthenticated()} during
 * {@code receive}, only after a record authenticated and only when its sequence number is the
 * highest of the current epoch (the replay window's "newest"); never for a replay, a forgery
 * or an older record delivered late.
 *
 * @since 0.2
 */
@RequiresCapability(Capability.CONNECTION_ID)
public interface MigrationContract extends TckTarget {

    /** The length of the connection IDs both sides ask for here. */
    int CID = 4;
    /** How long a migration test waits for any one event before it fails. */
    Duration WAIT = Duration.ofSeconds(5);

    /**
     * Datagrams the client sends while the link holds them back, for the test to deliver. A
     * record goes through first, with whatever the client owed the server (a DTLS 1.3 client
     * may send its ACK of the server's last flight with its first record), so that each held
     * record is one datagram.
     */
    private static List<byte[]> heldRecords(SessionPair pair, int count) {
        pair.client().send(new byte[] {0});
        assertArrayEquals(new byte[] {0}, Await.next(pair.server().records(), Tck.EVENT, () -> "the record before those held"));
        pair.link().filter((side, bytes) -> side == Side.CLIENT);
        int before = pair.client().sent().size();
        for (int i = 1; i <= count; i++) {
            pair.client().send(new byte[] {(byte) i});
        }
        List<byte[]> sent = pair.client().sent();
        assertEquals(before + count, sent.size(), "each record is one datagram");
        return sent.subList(before, sent.size());
    }

    /** Feeds one datagram to the server session: how often it reported a newest authenticated record. */
    private static int newestReported(SessionPair pair, byte[] datagram) {
        SessionPair.End server = pair.server();
        return server.onLoop(() -> {
            int before = server.newestRecords();
            server.session().receive(ByteBuffer.wrap(datagram));
            return server.newestRecords() - before;
        });
    }

    private static SessionPair established(TckRun run) {
        SessionPair pair = Tck.clean(run, Tck.client(run).connectionIdLength(CID).build(),
                Tck.server(run).connectionIdLength(CID).build());
        pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
        return pair;
    }

    /**
     * Checks rule MG-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("MG-1")
    default void aFreshAuthenticatedRecordIsReportedNewestAndALateOlderOneIsNot(TckRun run) {
        try (SessionPair pair = established(run)) {
            List<byte[]> held = heldRecords(pair, 3);
            assertTrue(newestReported(pair, held.get(0)) > 0, "a fresh record that authenticated is reported newest");
            assertTrue(newestReported(pair, held.get(2)) > 0, "a later record that skips one is reported newest");
            assertEquals(0, newestReported(pair, held.get(1)),
                    "an older record that arrives after a newer one is not the newest, even if it is delivered");
        }
    }

    /**
     * Checks rule MG-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("MG-2")
    default void replayedAndForgedRecordsAreNeverReportedNewest(TckRun run) {
        try (SessionPair pair = established(run)) {
            List<byte[]> held = heldRecords(pair, 2);
            assertTrue(newestReported(pair, held.get(0)) > 0, "a fresh record that authenticated is reported newest");
            assertArrayEquals(new byte[] {1}, Await.next(pair.server().records(), Tck.EVENT, () -> "the first record"));
            assertEquals(0, newestReported(pair, held.get(0)), "a replay is not reported");
            byte[] forged = held.get(1).clone();
            forged[forged.length - 1] ^= 1;
            assertEquals(0, newestReported(pair, forged), "a record that fails authentication is not reported");
            assertTrue(newestReported(pair, held.get(1)) > 0, "the genuine record still is");
        }
    }

    /**
     * Checks rule MG-6 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("MG-6")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "only DTLS 1.3's KeyUpdate changes the epoch mid-session"
            + " (RFC 9147 section 8)")
    default void afterAKeyUpdateTheNewEpochIsNewestAndALateRecordOfTheOldOneIsNot(TckRun run) {
        try (SessionPair pair = established(run)) {
            byte[] oldEpoch = heldRecords(pair, 1).get(0);
            pair.link().filter((side, bytes) -> false);
            EpochFlow flow = new EpochFlow(pair);
            flow.exchange(2);
            flow.updateKeysWhileRecordsCrossTheChange(Side.CLIENT);
            int before = pair.server().onLoop(() -> pair.server().newestRecords());
            flow.exchange(3);
            flow.assertAllDelivered();
            assertTrue(pair.server().onLoop(() -> pair.server().newestRecords()) > before,
                    "records of the new epoch are reported newest, though their sequence numbers start again");
            assertEquals(0, newestReported(pair, oldEpoch),
                    "a record of the epoch before, delivered after the new epoch's, is not the newest");
        }
    }

    /** What a UDP test does with a client behind a relay, connected to an echoing server with connection IDs. */
    @FunctionalInterface
    interface RelayedClient {
        /**
         * Runs the test's part with the listener, the relay the client talks through, and both
         * connections.
         *
         * @param listener the server's listener
         * @param relay the relay between client and listener, which rebinds the client's address
         * @param client the client's connection
         * @param accepted the server's connection to that client
         * @param echoes what the server echoed
         * @throws Exception a failure, which fails the test
         */
        void run(DtlsServer listener, UdpRelay relay, DtlsConnection client, DtlsConnection accepted, EchoRecorder echoes)
                throws Exception;
    }

    /**
     * Connects a client with connection IDs through a relay to an echoing server, and runs
     * {@code test}; the server has {@link Tck#serverIoThreads()} I/O threads.
     */
    private static void throughRelay(TckRun run, RelayedClient test) throws Exception {
        RelayedClients.run(run, TransportOptions.builder().ioThreads(Tck.serverIoThreads()).build(), test);
    }

    /**
     * Checks rule MG-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("MG-3")
    default void aClientRebindingWhileIdleKeepsItsOneSessionAndGetsTheRepliesAtItsNewPort(TckRun run) throws Exception {
        throughRelay(run, (listener, relay, c, accepted, echoes) -> {
            RelayedClients.echo(c, 0);
            for (int round = 1; round <= 3; round++) {
                InetSocketAddress now = relay.rebind();
                RelayedClients.echo(c, round);
                assertEquals(now, accepted.peerAddress(), "the server's connection moved to the client's new port");
            }
            assertEquals(3, listener.stats().migrations(), "three rebinds, three migrations: " + listener.stats());
            assertEquals(1, listener.stats().liveSessions(), "one session throughout: " + listener.stats());
            assertEquals(1, listener.stats().handshakesCompleted(), "no new handshake: " + listener.stats());
            assertTrue(echoes.connections().isEmpty(), "the server saw one connection");
        });
    }

    /**
     * Checks rule MG-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("MG-4")
    default void aClientRebindingMidStreamHasEveryRecordDeliveredOnce(TckRun run) throws Exception {
        int records = 90;
        int[] rebindAt = {30, 60};
        throughRelay(run, (listener, relay, c, accepted, echoes) -> {
            InetSocketAddress last = null;
            for (int tag = 0; tag < records; tag++) {
                if (tag == rebindAt[0] || tag == rebindAt[1]) {
                    last = relay.rebind();
                }
                c.send(EchoRecorder.tagged(tag));
            }
            Await.until(() -> echoes.distinctTags() == records, WAIT,
                    () -> "every record reaches the server across two rebinds; got " + echoes.distinctTags());
            for (int tag = 0; tag < records; tag++) {
                assertEquals(1, echoes.times(tag), "record " + tag + " is delivered exactly once");
            }
            Set<Integer> echoed = new HashSet<>();
            ByteBuffer in = ByteBuffer.allocate(16);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!echoed.containsAll(range(rebindAt[1], records)) && System.nanoTime() - deadline < 0) {
                in.clear();
                try {
                    if (c.receive(in, Duration.ofMillis(200)) == 4) {
                        echoed.add(in.getInt(0));
                    }
                } catch (DtlsTimeoutException quiet) {
                    // checked by the loop's condition
                }
            }
            assertTrue(echoed.containsAll(range(rebindAt[1], records)),
                    "the echo of every record sent after the last rebind reaches the client's new port; missing "
                            + missing(echoed, rebindAt[1], records));
            assertEquals(last, accepted.peerAddress(), "the connection is at the client's last port");
            assertEquals(1, listener.stats().liveSessions(), "one session throughout: " + listener.stats());
            assertTrue(echoes.connections().isEmpty(), "the server saw one connection");
        });
    }

    /**
     * Checks rule MG-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("MG-5")
    default void aRecordReplayedOrForgedFromAThirdAddressDoesNotMoveTheSession(TckRun run) throws Exception {
        throughRelay(run, (listener, relay, c, accepted, echoes) -> {
            try (DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                RelayedClients.echo(c, 1);
                byte[] captured = relay.lastFromClient();
                byte[] forged = captured.clone();
                forged[forged.length - 1] ^= 1;
                InetSocketAddress home = relay.upstreamAddress();
                for (byte[] d : List.of(captured, forged)) {
                    long dropped = listener.stats().dropped(TransportStats.DropReason.SESSION);
                    attacker.send(ByteBuffer.wrap(d), listener.localAddress());
                    Await.until(() -> listener.stats().dropped(TransportStats.DropReason.SESSION) > dropped, WAIT,
                            () -> "the session must drop the replayed or forged record: " + listener.stats());
                    assertEquals(home, accepted.peerAddress(), "a record that proves nothing does not move the session");
                }
                assertEquals(0, listener.stats().migrations(), "no migration: " + listener.stats());
                assertEquals(1, echoes.times(1), "the replay is not delivered again");
                RelayedClients.echo(c, 2);
            }
        });
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    private static List<Integer> missing(Set<Integer> got, int from, int to) {
        List<Integer> m = range(from, to);
        m.removeAll(got);
        return m;
    }
}
