package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepeatedChangeCipherSpecTest {

    private static byte[] record(int type, int epoch, long seq) {
        byte[] d = new byte[13 + 1];
        d[0] = (byte) type;
        d[1] = (byte) 0xfe;
        d[2] = (byte) 0xfd;
        d[4] = (byte) epoch;
        for (int i = 10; i >= 5; i--) {
            d[i] = (byte) seq;
            seq >>>= 8;
        }
        d[12] = 1;
        d[13] = 1;
        return d;
    }

    @Test
    void aByteForByteRepeatOfAChangeCipherSpecGetsAFreshSequenceNumber() {
        RepeatedChangeCipherSpec r = new RepeatedChangeCipherSpec();
        byte[] ccs = record(20, 0, 5);
        assertThat(r.fresh(record(22, 0, 4))).as("other records pass unchanged").isEqualTo(record(22, 0, 4));
        assertThat(r.fresh(ccs)).as("the first copy passes unchanged").isSameAs(ccs);
        byte[] again = r.fresh(ccs.clone());
        assertThat(again[10]).as("the repeat is renumbered above the highest epoch-0 sequence seen").isEqualTo((byte) 6);
        assertThat(r.fresh(record(20, 0, 9))[10]).as("a new ChangeCipherSpec passes unchanged").isEqualTo((byte) 9);
    }

    @Test
    void repeatsOfOtherRecordsPassUnchanged() {
        RepeatedChangeCipherSpec r = new RepeatedChangeCipherSpec();
        byte[] hello = record(22, 0, 1);
        r.fresh(hello);
        assertThat(r.fresh(hello.clone())).isEqualTo(hello);
    }
}
