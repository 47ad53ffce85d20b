package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * A server session created by the listener for a ClientHello the client cut into several
 * datagrams: at the smallest datagram size a JSSE client's ClientHello with a cookie never
 * fits one (nor does OpenSSL's). The listener verifies the cookie in the first fragment and
 * creates the session with it; the session must hold the fragments back until the
 * ClientHello is whole, since a new engine ignores a ClientHello with message_seq 1 and
 * can only be primed with the whole message ({@link ClientHelloReassembly}).
 */
class FragmentedClientHelloTest {

    private static final int SMALLEST = DtlsConfig.MIN_DATAGRAM_SIZE;

    @Test
    void aClientHelloFragmentedAtTheSmallestDatagramSizeJoinsTheHandshake() {
        DtlsConfig server = Configs.server().maxDatagramSize(SMALLEST).build();
        StatelessListener listener = new StatelessListener(server.cookieAuthority());
        try (Pair p = Pair.withGate(Configs.client().maxDatagramSize(SMALLEST).build(), server, listener)) {
            listener.attach(p);
            p.start();
            p.awaitEstablished();
            assertThat(clientHelloDatagrams(p, 1)).as("the ClientHello with our cookie is fragmented")
                    .hasSizeGreaterThan(1);
            assertThat(listener.helloVerifyRequests).hasSize(1);
            assertThat(listener.refusedCookies).isZero();
            byte[] firstFromSession = p.wire(Side.SERVER).get(0).bytes();
            assertThat(firstFromSession[13]).as("JSSE's own HelloVerifyRequest").isEqualTo((byte) 3);
            assertThat(messageSeq(firstFromSession)).as("with message_seq 1").isEqualTo(1);
            assertThat(clientHelloDatagrams(p, 2)).as("JSSE's cookie comes back").isNotEmpty();
            assertThat(p.wire()).allSatisfy(w -> assertThat(w.bytes().length).isLessThanOrEqualTo(SMALLEST));

            byte[] fromClient = new byte[p.client.session.maxRecordSize()];
            byte[] fromServer = new byte[p.server.session.maxRecordSize()];
            fromClient[0] = 1;
            fromServer[0] = 2;
            p.client.send(fromClient);
            p.server.send(fromServer);
            p.settle(Duration.ofSeconds(1));
            assertThat(p.server.records()).containsExactly(fromClient);
            assertThat(p.client.records()).containsExactly(fromServer);
        }
    }

    /** The root cause, without the network: what the session does with each fragment. */
    @Test
    void theSessionHoldsTheFragmentsBackUntilTheClientHelloIsWholeAndThenJsseAnswers() {
        List<byte[]> fragments;
        DtlsConfig server = Configs.server().maxDatagramSize(SMALLEST).build();
        StatelessListener listener = new StatelessListener(server.cookieAuthority());
        try (Pair p = Pair.withGate(Configs.client().maxDatagramSize(SMALLEST).build(), server, listener)) {
            listener.attach(p);
            p.start();
            p.runUntil(() -> clientHelloDatagrams(p, 1).size() > 1, Duration.ofSeconds(1));
            fragments = clientHelloDatagrams(p, 1);
        }
        assertThat(fragments).hasSizeGreaterThan(1);
        assertThat(fragmentOffset(fragments.get(0))).isZero();

        try (Pair p = Pair.withGate(Configs.client().build(), server, d -> true)) {
            DtlsSession session = p.createServerSession();
            session.receive(ByteBuffer.wrap(fragments.get(0)));
            assertThat(p.wire(Side.SERVER)).as("nothing before the ClientHello is whole").isEmpty();
            assertThat(session.droppedDatagrams()).isZero();

            session.receive(ByteBuffer.wrap(StatelessListener.helloVerifyRequest(9, 0, new byte[] {1, 2, 3})));
            assertThat(session.droppedDatagrams()).as("no part of the ClientHello").isEqualTo(1);
            session.receive(ByteBuffer.wrap(fragments.get(0)));
            assertThat(session.droppedDatagrams()).as("a retransmitted fragment is no drop").isEqualTo(1);
            assertThat(p.wire(Side.SERVER)).isEmpty();

            for (int i = fragments.size() - 1; i > 0; i--) {
                session.receive(ByteBuffer.wrap(fragments.get(i)));
            }
            assertThat(p.wire(Side.SERVER)).as("JSSE answers the whole ClientHello").hasSize(1);
            byte[] answer = p.wire(Side.SERVER).get(0).bytes();
            assertThat(answer[13]).as("with its own HelloVerifyRequest").isEqualTo((byte) 3);
            assertThat(messageSeq(answer)).isEqualTo(1);
            assertThat(session.droppedDatagrams()).isEqualTo(1);
        }
    }

    @Test
    void theFragmentedJoinSurvivesLossDuplicationAndReordering() {
        for (long seed = 1; seed <= 50; seed++) {
            Random random = new Random(seed);
            DtlsConfig server = Configs.server().maxDatagramSize(SMALLEST)
                    .handshakeTimeout(Duration.ofSeconds(60)).build();
            StatelessListener listener = new StatelessListener(server.cookieAuthority());
            try (Pair p = Pair.withGate(Configs.client().maxDatagramSize(SMALLEST)
                    .handshakeTimeout(Duration.ofSeconds(60)).build(), server, listener)) {
                listener.attach(p);
                p.filter((from, bytes) -> random.nextDouble() < 0.2).chaos(random, 0.1, 0.2);
                p.start();
                boolean done = p.runUntil(() -> p.client.info().isPresent() && p.server.info().isPresent(),
                        Duration.ofSeconds(60));
                assertThat(done).as("seed %d%n%s", seed, p.describe()).isTrue();
            }
        }
    }

    /** The client's datagrams that carry a fragment of its ClientHello with this message_seq. */
    private static List<byte[]> clientHelloDatagrams(Pair p, int messageSeq) {
        List<byte[]> out = new ArrayList<>();
        for (WireEvent w : p.wire(Side.CLIENT)) {
            byte[] d = w.bytes();
            if (d.length >= 25 && d[0] == 22 && d[3] == 0 && d[4] == 0 && d[13] == 1 && messageSeq(d) == messageSeq
                    && out.stream().noneMatch(o -> fragmentOffset(o) == fragmentOffset(d))) {
                out.add(d);
            }
        }
        return out;
    }

    private static int messageSeq(byte[] d) {
        return ((d[17] & 0xff) << 8) | (d[18] & 0xff);
    }

    private static int fragmentOffset(byte[] d) {
        return ((d[19] & 0xff) << 16) | ((d[20] & 0xff) << 8) | (d[21] & 0xff);
    }
}
