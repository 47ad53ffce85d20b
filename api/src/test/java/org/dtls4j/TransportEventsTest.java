package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.junit.jupiter.api.Test;

/**
 * The transport's JFR events that need no provider: drops are sampled (a flood makes a few
 * events whose counts add up to every drop) and a session's move is recorded. The events of
 * real handshakes, alerts and cookies are the TCK's {@code FlightRecorderContract}.
 */
class TransportEventsTest {

    @Test
    void aFloodOfDropsMakesAFewEventsWhoseCountsAddUpToEveryDrop() throws Exception {
        int drops = 100_000;
        List<RecordedEvent> events;
        long elapsedNanos;
        try (Recording r = start("org.dtls4j.DatagramDropped")) {
            Counters server = new Counters();
            Counters connection = new Counters(server);
            long t0 = System.nanoTime();
            for (int i = 0; i < drops; i++) {
                (i % 2 == 0 ? server : connection).drop(DropReason.MALFORMED);
            }
            elapsedNanos = System.nanoTime() - t0;
            server.flushDropEvents();
            events = read(r, "org.dtls4j.DatagramDropped");
        }
        assertThat(events).as("the first drop is reported at once").isNotEmpty();
        assertThat(events).allSatisfy(e -> assertThat(e.getString("reason")).isEqualTo("MALFORMED"));
        assertThat(events.stream().mapToLong(e -> e.getLong("count")).sum())
                .as("the counts add up to every drop, each counted once (a connection's by its server)").isEqualTo(drops);
        long periods = elapsedNanos / TransportEvents.Drops.PERIOD_NANOS;
        assertThat(events.size()).as("at most one event per 100 ms in " + elapsedNanos / 1_000_000
                + " ms, and the flush").isLessThanOrEqualTo((int) periods + 2);
    }

    @Test
    void aSessionThatMovesIsRecordedWithBothAddresses() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetSocketAddress from = new InetSocketAddress(loopback, 40001);
        InetSocketAddress to = new InetSocketAddress(loopback, 40002);
        EventLoop loop = new EventLoop("jfr-test");
        List<RecordedEvent> events;
        try (Recording r = start("org.dtls4j.SessionMigrated");
             DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            PeerConnection c = new PeerConnection(loop, socket, false, from, DtlsConfig.builder().build(),
                    new NoOwner(), new Counters(new Counters()), null, TransportOptions.defaults());
            c.attach(new EchoingSession(DtlsRole.SERVER, c.listener()), "echo");
            c.movedTo(to);
            assertThat(c.peerAddress()).isEqualTo(to);
            events = read(r, "org.dtls4j.SessionMigrated");
        } finally {
            loop.close();
        }
        assertThat(events).as("one move, one event").hasSize(1);
        RecordedEvent e = events.get(0);
        assertThat(e.getString("provider")).isEqualTo("echo");
        assertThat(e.getString("from")).isEqualTo(from.toString());
        assertThat(e.getString("to")).isEqualTo(to.toString());
    }

    private static Recording start(String event) {
        Recording r = new Recording();
        r.enable(event).withoutThreshold();
        r.start();
        return r;
    }

    private static List<RecordedEvent> read(Recording r, String event) throws Exception {
        r.stop();
        Path file = Files.createTempFile("dtls4j-events-", ".jfr");
        try {
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(event)).collect(Collectors.toList());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static final class NoOwner implements PeerConnection.Owner {
        @Override
        public void established(PeerConnection connection) {
        }

        @Override
        public void ended(PeerConnection connection, boolean handshakeFailed) {
        }
    }
}
