package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.Test;

/** The record-level guards that keep JSSE's reassembler out of trouble. */
class HandshakeGuardsTest {

    /** An epoch-0 handshake record holding one fragment. */
    static byte[] fragment(int type, int messageSeq, int length, int offset, int fragmentLength) {
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + fragmentLength);
        b.put((byte) 22).putShort((short) 0xfefd).putShort((short) 0).putShort((short) 0).putInt(messageSeq);
        b.putShort((short) (12 + fragmentLength));
        b.put((byte) type).put((byte) (length >>> 16)).putShort((short) length).putShort((short) messageSeq);
        b.put((byte) (offset >>> 16)).putShort((short) offset);
        b.put((byte) (fragmentLength >>> 16)).putShort((short) fragmentLength);
        return b.array();
    }

    private static ByteBuffer wrap(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    @Test
    void fragmentsOfAnAnsweredFlightAreStaleAndItsFirstFragmentAsksForOurs() {
        PeerFlights f = new PeerFlights();
        byte[] hello = fragment(1, 0, 100, 0, 100);
        assertThat(f.classify(wrap(hello), 0)).isEqualTo(PeerFlights.Verdict.READ);
        f.read(wrap(hello), 0);
        assertThat(f.classify(wrap(hello), 0)).as("not yet answered").isEqualTo(PeerFlights.Verdict.READ);
        assertThat(f.answeredNow()).isTrue();
        assertThat(f.classify(wrap(hello), 0)).isEqualTo(PeerFlights.Verdict.RETRANSMITTED_FLIGHT);
        assertThat(f.answeredNow()).as("nothing new was read").isFalse();

        // The next flight, messages 1 to 3, the second in two fragments.
        byte[][] flight = {fragment(1, 1, 120, 0, 120), fragment(11, 2, 900, 0, 500), fragment(11, 2, 900, 500, 400),
                           fragment(14, 3, 0, 0, 0)};
        for (byte[] r : flight) {
            assertThat(f.classify(wrap(r), 0)).isEqualTo(PeerFlights.Verdict.READ);
            f.read(wrap(r), 0);
        }
        assertThat(f.answeredNow()).isTrue();
        assertThat(f.classify(wrap(flight[0]), 0)).isEqualTo(PeerFlights.Verdict.RETRANSMITTED_FLIGHT);
        assertThat(f.classify(wrap(flight[1]), 0)).isEqualTo(PeerFlights.Verdict.STALE);
        assertThat(f.classify(wrap(flight[2]), 0)).isEqualTo(PeerFlights.Verdict.STALE);
        assertThat(f.classify(wrap(hello), 0)).as("an older flight still").isEqualTo(PeerFlights.Verdict.STALE);
        assertThat(f.classify(wrap(fragment(16, 4, 60, 0, 60)), 0)).isEqualTo(PeerFlights.Verdict.READ);
        assertThat(f.classify(wrap(TestRecords.record(22, 0xfefd, 1, 0, 40)), 0))
                .as("encrypted records are not judged").isEqualTo(PeerFlights.Verdict.READ);
    }

    @Test
    void aServerHelloAnnouncingATicketHoldsBackTheFinishedUntilTheWholeTicketWasRead() {
        byte[] serverHello;
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            p.awaitEstablished();
            serverHello = p.wire(Side.SERVER).get(1).bytes(); // after the HelloVerifyRequest
        }
        assertThat(serverHello[13]).isEqualTo((byte) 2);
        assertThat(TicketGuard.announcesTicket(wrap(serverHello), 0)).as("JSSE servers send tickets").isTrue();

        TicketGuard g = new TicketGuard();
        byte[] ccs = TestRecords.record(20, 0xfefd, 0, 9, 1);
        byte[] finished = TestRecords.record(22, 0xfefd, 1, 0, 40);
        assertThat(g.holdsBack(wrap(ccs), 0)).as("before the ServerHello (a resumption's Finished can overtake it)")
                .isTrue();
        assertThat(g.holdsBack(wrap(finished), 0)).isTrue();
        g.observe(wrap(serverHello), 0);
        assertThat(g.holdsBack(wrap(ccs), 0)).isTrue();
        assertThat(g.holdsBack(wrap(finished), 0)).isTrue();
        assertThat(g.holdsBack(wrap(fragment(4, 5, 900, 0, 500)), 0)).as("the ticket itself passes").isFalse();
        g.observe(wrap(fragment(4, 5, 900, 500, 400)), 0);
        assertThat(g.holdsBack(wrap(finished), 0)).as("a later fragment alone is not enough").isTrue();
        g.observe(wrap(fragment(4, 5, 900, 0, 500)), 0);
        assertThat(g.holdsBack(wrap(finished), 0)).isTrue();
        g.observe(wrap(fragment(4, 5, 900, 500, 400)), 0);
        assertThat(g.holdsBack(wrap(ccs), 0)).isFalse();
        assertThat(g.holdsBack(wrap(finished), 0)).isFalse();
    }

    @Test
    void aServerHelloWithoutTheExtensionOrTruncatedAnnouncesNothing() {
        byte[] serverHello;
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            p.awaitEstablished();
            serverHello = p.wire(Side.SERVER).get(1).bytes();
        }
        for (int cut = 26; cut < serverHello.length; cut++) {
            byte[] b = java.util.Arrays.copyOf(serverHello, cut);
            // keep the headers consistent with the shorter body
            ByteBuffer w = wrap(b);
            w.putShort(11, (short) (cut - 13));
            int body = cut - 25;
            w.put(14, (byte) 0).putShort(15, (short) body);
            w.put(22, (byte) 0).putShort(23, (short) body);
            TicketGuard.announcesTicket(w, 0); // must not throw
        }
        byte[] fragmented = serverHello.clone();
        fragmented[21] = 1; // fragment_offset 1
        assertThat(TicketGuard.announcesTicket(wrap(fragmented), 0)).isFalse();
    }

    @Test
    void theFinishedWaitsForTheWholeServerHelloEvenWithoutATicket() {
        TicketGuard g = new TicketGuard();
        byte[] ccs = TestRecords.record(20, 0xfefd, 0, 9, 1);
        byte[] finished = TestRecords.record(22, 0xfefd, 1, 0, 40);
        assertThat(g.holdsBack(wrap(fragment(3, 0, 20, 0, 20)), 0)).as("a HelloVerifyRequest passes").isFalse();
        g.observe(wrap(fragment(2, 1, 90, 40, 50)), 0);
        assertThat(g.holdsBack(wrap(finished), 0)).as("only the ServerHello's second half").isTrue();
        g.observe(wrap(fragment(2, 1, 90, 0, 40)), 0);
        assertThat(g.holdsBack(wrap(ccs), 0)).as("still a gap until the second half comes again").isTrue();
        g.observe(wrap(fragment(2, 1, 90, 40, 50)), 0);
        assertThat(g.holdsBack(wrap(ccs), 0)).as("fragments carry no extensions to read: no ticket announced")
                .isFalse();
        assertThat(g.holdsBack(wrap(finished), 0)).isFalse();
    }
}
