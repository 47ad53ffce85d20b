package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRecordTooLargeException;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Application records after the handshake: sizes, replays, bad input, close. */
class RecordTest {

    private static final Duration SETTLE = Duration.ofSeconds(1);

    @Test
    void recordsFlowBothWaysWithTheirBoundaries() {
        try (Pair p = established()) {
            for (int i = 0; i < 20; i++) {
                p.client.send(payload(1 + i * 50, i));
                p.server.send(payload(1 + i * 30, i));
            }
            p.settle(SETTLE);
            assertThat(p.server.records()).hasSize(20);
            assertThat(p.client.records()).hasSize(20);
            List<byte[]> atServer = List.copyOf(p.server.records());
            List<byte[]> atClient = List.copyOf(p.client.records());
            for (int i = 0; i < 20; i++) {
                assertThat(atServer.get(i)).isEqualTo(payload(1 + i * 50, i));
                assertThat(atClient.get(i)).isEqualTo(payload(1 + i * 30, i));
            }
            assertThat(p.client.session.droppedDatagrams()).isZero();
            assertThat(p.server.session.droppedDatagrams()).isZero();
        }
    }

    static Stream<Arguments> suitesAndSizes() {
        List<String> ecdsa = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
        return ecdsa.stream().flatMap(s -> Stream.of(256, 600, 1400, 20_000).map(d -> Arguments.of(s, d)));
    }

    @ParameterizedTest(name = "{0} in {1}-byte datagrams")
    @MethodSource("suitesAndSizes")
    void aRecordOfExactlyMaxRecordSizeGoesOutAsOneDatagramAndArrivesWhole(String suite, int datagramSize) {
        DtlsConfig client = Configs.client().cipherSuites(suite).maxDatagramSize(datagramSize).build();
        DtlsConfig server = Configs.server().cipherSuites(suite).maxDatagramSize(datagramSize).build();
        try (Pair p = Pair.of(client, server).start()) {
            int before = p.client.session.maxRecordSize();
            p.awaitEstablished();
            p.settle(SETTLE);
            assertThat(p.client.info().orElseThrow().cipherSuite()).isEqualTo(suite);
            int max = p.client.session.maxRecordSize();
            assertThat(before).as("the bound before the handshake is the configured suite's").isEqualTo(max);
            assertThat(max).isEqualTo(RecordSizes.maxPlaintext(suite, datagramSize));
            for (Pair.End from : List.of(p.client, p.server)) {
                Pair.End to = from == p.client ? p.server : p.client;
                int sent = p.wire().size();
                byte[] record = payload(max, 3);
                from.send(record);
                assertThat(p.wire()).hasSize(sent + 1);
                byte[] datagram = p.wire().get(sent).bytes();
                assertThat(datagram.length).isLessThanOrEqualTo(datagramSize)
                        .as("the bound is tight: less than one cipher block is left over")
                        .isGreaterThan(Math.min(datagramSize, 16_384 + 13) - 16 - 1);
                p.settle(SETTLE);
                assertThat(to.records()).last().isEqualTo(record);
                assertThatThrownBy(() -> from.send(new byte[max + 1]))
                        .isInstanceOfSatisfying(DtlsRecordTooLargeException.class, e -> {
                            assertThat(e.size()).isEqualTo(max + 1);
                            assertThat(e.maximum()).isEqualTo(max);
                        });
                assertThat(p.wire()).as("nothing is sent for a refused record").hasSize(sent + 1);
            }
        }
    }

    @Test
    void aRecordLargerThanOurOwnMaximumIsDroppedNotFatal() {
        // JSSE would fail the session ("Input record too big") before authenticating anything.
        DtlsConfig client = Configs.client().maxDatagramSize(600).build();
        DtlsConfig server = Configs.server().maxDatagramSize(1400).build();
        try (Pair p = Pair.of(client, server).start()) {
            p.awaitEstablished();
            p.settle(SETTLE);
            p.server.send(payload(p.server.session.maxRecordSize(), 5));
            p.server.send(payload(600 - 13 - 24, 6));
            p.settle(SETTLE);
            assertThat(p.client.failures()).isEmpty();
            assertThat(p.client.records()).containsExactly(payload(600 - 13 - 24, 6));
            assertThat(p.client.session.droppedDatagrams()).isEqualTo(1);
            p.inject(Side.CLIENT, TestRecords.record(23, 0xfefd, 1, 99, 5000));
            p.settle(SETTLE);
            assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(p.client.session.droppedDatagrams()).isEqualTo(2);
        }
    }

    @Test
    void beforeTheHandshakeMaxRecordSizeIsTheWorstConfiguredSuite() {
        DtlsConfig client = Configs.client().maxDatagramSize(1000)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")
                .build();
        try (Pair p = Pair.of(client, Configs.server().build())) {
            assertThat(p.client.session.maxRecordSize())
                    .isEqualTo(RecordSizes.maxPlaintext("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 1000));
        }
    }

    @Test
    void aReplayedRecordIsDeliveredOnceAndCountedEachTime() {
        try (Pair p = established()) {
            p.client.send(new byte[] {1});
            p.settle(SETTLE);
            byte[] recorded = last(p, Side.CLIENT);
            for (int i = 0; i < 3; i++) {
                p.inject(Side.SERVER, recorded);
            }
            p.client.send(new byte[] {2});
            p.settle(SETTLE);
            assertThat(p.server.records()).containsExactly(new byte[] {1}, new byte[] {2});
            assertThat(p.server.session.droppedDatagrams()).isEqualTo(3);
        }
    }

    @Test
    void recordsArrivingOutOfOrderWithinTheWindowAreDeliveredOnce() {
        try (Pair p = established()) {
            p.filter((from, bytes) -> from == Side.CLIENT); // hold everything back
            for (int i = 0; i < 10; i++) {
                p.client.send(new byte[] {(byte) i});
            }
            List<WireEvent> sent = p.wire(Side.CLIENT);
            List<WireEvent> data = sent.subList(sent.size() - 10, sent.size());
            for (int i = 9; i >= 0; i--) {
                p.inject(Side.SERVER, data.get(i).bytes());
                p.inject(Side.SERVER, data.get(i).bytes());
            }
            p.settle(SETTLE);
            assertThat(p.server.records()).hasSize(10);
            assertThat(p.server.session.droppedDatagrams()).isEqualTo(10);
        }
    }

    @Test
    void aCorruptedRecordIsDroppedAndCountedAndTheSessionLives() {
        try (Pair p = established()) {
            p.filter((from, bytes) -> from == Side.CLIENT);
            p.client.send(new byte[] {1, 2, 3, 4});
            byte[] good = last(p, Side.CLIENT);
            for (int bit = 0; bit < good.length * 8; bit++) {
                byte[] bad = good.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                p.inject(Side.SERVER, bad);
            }
            p.settle(SETTLE);
            assertThat(p.server.records()).as("no corrupted copy may be delivered").isEmpty();
            assertThat(p.server.session.droppedDatagrams()).as("every corrupted copy is counted")
                    .isEqualTo(good.length * 8L);
            p.inject(Side.SERVER, good);
            p.settle(SETTLE);
            assertThat(p.server.records()).containsExactly(new byte[] {1, 2, 3, 4});
            assertThat(p.server.session.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(p.server.failures()).isEmpty();
        }
    }

    @Test
    void aDatagramWithBadFramingNeverReachesJsse() {
        try (Pair p = established()) {
            p.filter((from, bytes) -> from == Side.CLIENT);
            p.client.send(new byte[] {1});
            byte[] good = last(p, Side.CLIENT);
            // A good record followed by a stray byte: JSSE alone would deliver the record.
            p.inject(Side.SERVER, Arrays.copyOf(good, good.length + 1));
            p.inject(Side.SERVER, new byte[0]);
            p.settle(SETTLE);
            assertThat(p.server.records()).isEmpty();
            assertThat(p.server.session.droppedDatagrams()).isEqualTo(2);
            p.inject(Side.SERVER, good);
            p.settle(SETTLE);
            assertThat(p.server.records()).containsExactly(new byte[] {1});
        }
    }

    @Test
    void aDatagramOfTwoRecordsDeliversBoth() {
        try (Pair p = established()) {
            p.filter((from, bytes) -> from == Side.CLIENT);
            p.client.send(new byte[] {1});
            byte[] a = last(p, Side.CLIENT);
            p.client.send(new byte[] {2});
            byte[] b = last(p, Side.CLIENT);
            byte[] both = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            p.inject(Side.SERVER, both);
            p.settle(SETTLE);
            assertThat(p.server.records()).containsExactly(new byte[] {1}, new byte[] {2});
        }
    }

    @Test
    void theCallersBufferIsConsumedAndNotModified() {
        try (Pair p = established()) {
            p.filter((from, bytes) -> from == Side.CLIENT);
            p.client.send(new byte[] {1, 2});
            byte[] good = last(p, Side.CLIENT);
            byte[] copy = good.clone();
            ByteBuffer in = ByteBuffer.wrap(good);
            p.server.session.receive(in);
            assertThat(in.hasRemaining()).isFalse();
            assertThat(good).isEqualTo(copy);
            assertThat(p.server.records()).containsExactly(new byte[] {1, 2});
        }
    }

    @Test
    void closeNotifyEndsThePeersStreamAndBothSidesRefuseToSend() {
        try (Pair p = established()) {
            p.client.send(new byte[] {9});
            p.settle(SETTLE);
            int sent = p.wire(Side.CLIENT).size();
            p.client.session.close();
            p.client.session.close();
            assertThat(p.wire(Side.CLIENT)).as("one close_notify").hasSize(sent + 1);
            assertThat(last(p, Side.CLIENT)[0]).isEqualTo((byte) 21);
            p.settle(SETTLE);
            assertThat(p.server.closes()).isEqualTo(1);
            assertThat(p.server.session.state()).isEqualTo(DtlsSessionState.CLOSED);
            assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.CLOSED);
            assertThat(p.server.failures()).isEmpty();
            assertThat(p.client.failures()).isEmpty();
            assertThatThrownBy(() -> p.client.send(new byte[] {1})).isInstanceOf(DtlsClosedException.class);
            assertThatThrownBy(() -> p.server.send(new byte[] {1})).isInstanceOf(DtlsClosedException.class);
            p.server.session.close();
            assertThat(p.server.closes()).isEqualTo(1);
        }
    }

    @Test
    void sendBeforeTheHandshakeCompletesIsRefused() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            assertThatIllegalStateException().isThrownBy(() -> p.client.send(new byte[] {1}));
            p.start();
            assertThatIllegalStateException().isThrownBy(() -> p.client.send(new byte[] {1}));
        }
    }

    @Test
    void datagramsBeforeBeginHandshakeAreDroppedAndCounted() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build())) {
            ByteBuffer junk = ByteBuffer.wrap(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            p.server.session.receive(junk);
            assertThat(junk.hasRemaining()).isFalse();
            assertThat(p.server.session.droppedDatagrams()).isEqualTo(1);
            assertThat(p.server.session.state()).isEqualTo(DtlsSessionState.NEW);
        }
    }

    @Test
    void closeDuringTheHandshakeSendsNothingAndEndsTheSession() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            int sent = p.wire().size();
            p.client.session.close();
            assertThat(p.wire()).hasSize(sent);
            assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.CLOSED);
            assertThat(p.client.session.nextTimeout()).isEqualTo(org.dtls4j.DtlsSession.NO_TIMEOUT);
            assertThat(p.client.closes()).as("onClosed is for the peer's close_notify").isZero();
        }
    }

    private static Pair established() {
        Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start();
        p.awaitEstablished();
        p.settle(SETTLE);
        return p;
    }

    private static byte[] last(Pair p, Side from) {
        List<WireEvent> w = p.wire(from);
        return w.get(w.size() - 1).bytes();
    }

    private static byte[] payload(int length, int tag) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (tag * 31 + i);
        }
        return b;
    }
}
