package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsRecordTooLargeException;
import org.dtls4j.DtlsSession;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Application records: one send is one record is one datagram is one delivery.
 *
 * <p>If these fail, check that {@code send} emits exactly one datagram per record, that
 * {@code maxRecordSize()} accounts for the record header and the suite's expansion, and
 * that an oversized record is refused before anything is sent.
 *
 * @since 0.1
 */
public interface ApplicationDataContract extends TckTarget {

    /**
     * Checks rule AD-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AD-1")
    default void oneByteRecordsFlowBothWays(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            pair.client().send(new byte[] {42});
            pair.server().send(new byte[] {43});
            assertArrayEquals(new byte[] {42}, Await.next(pair.server().records(), Tck.EVENT, () -> "client's 1-byte record"));
            assertArrayEquals(new byte[] {43}, Await.next(pair.client().records(), Tck.EVENT, () -> "server's 1-byte record"));
        }
    }

    /**
     * Checks rule AD-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AD-2")
    default void maximumSizeRecordsFlowBothWaysEachInOneDatagram(TckRun run) {
        int datagram = 600;
        try (SessionPair pair = Tck.clean(run, Tck.client(run).maxDatagramSize(datagram).build(), Tck.server(run).maxDatagramSize(datagram).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            for (SessionPair.End from : new SessionPair.End[] {pair.client(), pair.server()}) {
                SessionPair.End to = from == pair.client() ? pair.server() : pair.client();
                int max = from.onLoop(() -> from.session().maxRecordSize());
                int overhead = Tck.maxAeadRecordOverhead(run.version());
                assertTrue(max >= datagram - overhead && max < datagram, "maxRecordSize() must be the datagram size "
                        + datagram + " less the " + run.version().standardName() + " record overhead (at most "
                        + overhead + " bytes with an AEAD suite), got " + max);
                byte[] record = Tck.payload(max, 7);
                int before = pair.link().wire().size();
                from.send(record);
                assertArrayEquals(record, Await.next(to.records(), Tck.EVENT, () -> "a record of maxRecordSize() bytes"),
                        "the record must arrive whole");
                var sent = pair.link().wire().subList(before, pair.link().wire().size());
                // DTLS 1.3 may ACK a post-handshake message (NewSessionTicket) meanwhile: smaller than the record
                var carrying = sent.stream().filter(e -> e.bytes().length >= max).toList();
                assertEquals(1, carrying.size(), "one record is one datagram: " + sent);
                assertTrue(carrying.get(0).bytes().length <= datagram,
                        "the datagram must fit maxDatagramSize " + datagram + ", was " + carrying.get(0).bytes().length);
            }
        }
    }

    /**
     * Checks rule AD-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AD-3")
    default void recordBoundariesAndOrderArePreservedOnACleanNetwork(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            int n = 100;
            for (int i = 0; i < n; i++) {
                pair.client().send(Tck.payload(1 + (i * 37) % 900, i));
            }
            for (int i = 0; i < n; i++) {
                int index = i;
                byte[] got = Await.next(pair.server().records(), Tck.EVENT, () -> "record " + index + " of " + n);
                assertArrayEquals(Tck.payload(1 + (i * 37) % 900, i), got,
                        "record " + i + " must arrive whole, alone and in order");
            }
        }
    }

    /**
     * Checks rule AD-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AD-4")
    default void oversizedRecordIsRefusedAndTheSessionStaysUsable(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            int max = pair.client().onLoop(() -> pair.client().session().maxRecordSize());
            int before = pair.link().wire().size();
            DtlsRecordTooLargeException e = assertThrows(DtlsRecordTooLargeException.class,
                    () -> pair.client().send(new byte[max + 1]), "a record over maxRecordSize() must be refused");
            assertEquals(max, e.maximum(), "the exception names the maximum");
            assertEquals(before, pair.link().wire().size(), "nothing may be sent for a refused record");
            pair.client().send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, Await.next(pair.server().records(), Tck.EVENT,
                    () -> "a normal record after the refused one"));
        }
    }

    /**
     * Checks rule AD-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AD-5")
    default void sendBeforeTheHandshakeCompletesIsRefused(TckRun run) {
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).build()) {
            assertThrows(IllegalStateException.class, () -> pair.client().send(new byte[] {1}),
                    "send before the handshake must throw IllegalStateException");
            for (WireEvent e : pair.link().wire()) {
                throw new AssertionError("nothing may be sent before beginHandshake: " + e);
            }
        }
    }

    @Test
    @RuleId("AD-6")
    default void sessionsCalledFromInsideEachOthersCallbacksKeepWorkingAndTheDeliveredRecordIntact(TckRun run) {
        try (DtlsContext clients = run.clientProvider().newContext(Tck.client(run).build());
             DtlsContext servers = run.serverProvider().newContext(Tck.server(run).build())) {
            DtlsSession[] x = new DtlsSession[2]; // X's client and server
            DtlsSession[] y = new DtlsSession[1]; // Y's client
            boolean[] insideX = new boolean[1];
            List<String> seen = new ArrayList<>();
            // X's server, while a record is delivered to it, has Y's client send, which calls X's
            // server again from its onDatagram; then X's server answers itself
            RecordingListener yClientEvents = new RecordingListener() {
                @Override
                public void onDatagram(ByteBuffer datagram) {
                    super.onDatagram(datagram);
                    if (insideX[0]) {
                        insideX[0] = false;
                        x[1].send(ByteBuffer.wrap(ascii("from inside Y")));
                    }
                }
            };
            RecordingListener xServerEvents = new RecordingListener() {
                @Override
                public void onRecord(ByteBuffer record) {
                    String before = StandardCharsets.US_ASCII.decode(record.duplicate()).toString();
                    insideX[0] = true;
                    y[0].send(ByteBuffer.wrap(ascii("to Y")));
                    x[1].send(ByteBuffer.wrap(ascii("a reply longer than what came in")));
                    seen.add(before + "|" + StandardCharsets.US_ASCII.decode(record.duplicate()));
                    super.onRecord(record);
                }
            };
            RecordingListener xClientEvents = new RecordingListener();
            RecordingListener yServerEvents = new RecordingListener();
            x[0] = clients.newClientSession(SessionPair.SERVER_ADDRESS, xClientEvents);
            x[1] = servers.newServerSession(SessionPair.CLIENT_ADDRESS, xServerEvents);
            y[0] = clients.newClientSession(SessionPair.SERVER_ADDRESS, yClientEvents);
            DtlsSession yServer = servers.newServerSession(SessionPair.CLIENT_ADDRESS, yServerEvents);
            try {
                handshake(x[0], xClientEvents, x[1], xServerEvents);
                handshake(y[0], yClientEvents, yServer, yServerEvents);
                assertTrue(xServerEvents.established().isDone() && yClientEvents.established().isDone(), "both handshakes");
                x[0].send(ByteBuffer.wrap(ascii("hello")));
                RecordingListener.pump(x[0], xClientEvents, x[1], xServerEvents);
                assertEquals(List.of("hello|hello"), seen, "the record being delivered is unchanged by the sends made meanwhile");
                RecordingListener.pump(y[0], yClientEvents, yServer, yServerEvents);
                assertEquals("to Y", ascii(Await.next(yServerEvents.records(), Tck.EVENT, () -> "Y's record")));
                assertEquals("from inside Y", ascii(Await.next(xClientEvents.records(), Tck.EVENT, () -> "X's nested reply")));
                assertEquals("a reply longer than what came in", ascii(Await.next(xClientEvents.records(), Tck.EVENT,
                        () -> "X's own reply")));
                x[0].send(ByteBuffer.wrap(ascii("again")));
                RecordingListener.pump(x[0], xClientEvents, x[1], xServerEvents);
                assertEquals(2, seen.size(), "X's server still reads");
                assertTrue(seen.get(1).startsWith("again|again"), seen.get(1));
            } finally {
                for (DtlsSession session : List.of(x[0], x[1], y[0], yServer)) {
                    session.close();
                }
            }
        }
    }

    /**
     * Runs a handshake on this thread until both ends are established or {@link Tck#CLEAN_HANDSHAKE}
     * passes; a provider that computes on a thread of its own (BouncyCastle) is awaited.
     */
    private static void handshake(DtlsSession client, RecordingListener clientEvents, DtlsSession server,
                                  RecordingListener serverEvents) {
        server.beginHandshake();
        client.beginHandshake();
        long deadline = System.nanoTime() + Tck.CLEAN_HANDSHAKE.toNanos();
        while (!(clientEvents.established().isDone() && serverEvents.established().isDone())
                && System.nanoTime() - deadline < 0) {
            RecordingListener.pump(client, clientEvents, server, serverEvents);
            try {
                byte[] d = clientEvents.outbox().poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (d != null) {
                    server.receive(ByteBuffer.wrap(d));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted during the handshake", e);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
