package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlightTimerTest {

    private static byte[] record(int epoch, long seq) {
        byte[] d = new byte[13 + 2];
        d[0] = 22;
        d[1] = (byte) 0xfe;
        d[2] = (byte) 0xfd;
        d[4] = (byte) epoch;
        for (int i = 10; i >= 5; i--) {
            d[i] = (byte) seq;
            seq >>>= 8;
        }
        d[12] = 2;
        return d;
    }

    private static long seq(byte[] d) {
        long s = 0;
        for (int i = 5; i < 11; i++) {
            s = (s << 8) | (d[i] & 0xff);
        }
        return s;
    }

    @Test
    void anEpochZeroFlightIsResentWithFreshSequenceNumbersOnTheCappedSchedule() {
        FlightTimer t = new FlightTimer(50, 120);
        byte[] hello = record(0, 0);
        assertThat(t.sending(hello, 0, hello.length, 1000)).isNotNull();
        assertThat(t.active()).isTrue();
        assertThat(t.deadline()).isEqualTo(1050);
        List<byte[]> copy = t.resend(1050);
        assertThat(seq(copy.get(0))).as("the copy has the next sequence number").isEqualTo(1);
        assertThat(t.deadline()).isEqualTo(1150);
        t.resend(1150);
        assertThat(t.deadline()).as("doubling is capped at the maximum").isEqualTo(1270);
        t.bouncyCastleTimedOut();
        assertThat(t.sending(hello, 0, hello.length, 1300)).as("BouncyCastle's own retransmission is dropped").isNull();
        t.received(record(0, 0));
        byte[] next = record(0, 1);
        assertThat(seq(t.sending(next, 0, next.length, 1400))).as("later records are renumbered too").isEqualTo(3);
    }

    @Test
    void aFlightWithAnEncryptedRecordKeepsBouncyCastlesTimer() {
        FlightTimer t = new FlightTimer(50, 120);
        byte[] finished = record(1, 0);
        t.sending(finished, 0, finished.length, 0);
        assertThat(t.active()).isFalse();
        t.bouncyCastleTimedOut();
        assertThat(t.sending(finished, 0, finished.length, 100)).as("BouncyCastle's retransmission goes out").isNotNull();
    }

    @Test
    void aByteForByteRepeatOfThePeersFlightIsRecognised() {
        FlightTimer t = new FlightTimer(50, 120);
        byte[] mine = record(0, 0);
        t.sending(mine, 0, mine.length, 0);
        byte[] theirs = record(0, 5);
        t.received(theirs);
        byte[] last = record(1, 0);
        t.sending(last, 0, last.length, 10);
        assertThat(t.repeatsPeerFlight(theirs.clone())).isTrue();
        assertThat(t.repeatsPeerFlight(record(0, 6))).isFalse();
        assertThat(t.lastFlightAsSent()).hasSize(1);
    }
}
