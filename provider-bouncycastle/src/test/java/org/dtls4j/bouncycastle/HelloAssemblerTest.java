package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.junit.jupiter.api.Test;

class HelloAssemblerTest {

    /** A real ClientHello from a BouncyCastle client session. */
    private static byte[] clientHello() {
        RecordingListener events = new RecordingListener();
        try (DtlsContext c = new BouncyCastleProvider(1).newContext(Configs.client().build())) {
            DtlsSession s = c.newClientSession(SessionPair.SERVER_ADDRESS, events);
            s.beginHandshake();
            s.close();
        }
        return events.sent().get(0);
    }

    /** The ClientHello's message cut into two fragments, each in its own record and datagram. */
    private static byte[][] fragments(byte[] d, int cut) {
        int length = d.length - 25;
        byte[][] out = new byte[2][];
        int[][] parts = {{0, cut}, {cut, length - cut}};
        for (int i = 0; i < 2; i++) {
            int off = parts[i][0];
            int n = parts[i][1];
            byte[] f = new byte[25 + n];
            System.arraycopy(d, 0, f, 0, 25);
            f[11] = (byte) ((12 + n) >> 8);
            f[12] = (byte) (12 + n);
            f[13 + 6] = (byte) (off >> 16);
            f[13 + 7] = (byte) (off >> 8);
            f[13 + 8] = (byte) off;
            f[13 + 9] = (byte) (n >> 16);
            f[13 + 10] = (byte) (n >> 8);
            f[13 + 11] = (byte) n;
            System.arraycopy(d, 25 + off, f, 25, n);
            out[i] = f;
        }
        return out;
    }

    @Test
    void fragmentsInAnyOrderMakeTheWholeClientHello() {
        byte[] hello = clientHello();
        byte[][] f = fragments(hello, 40);
        assertThat(FirstClientHello.parse(f[0], new ClientHellos())).as("a fragment alone is not a ClientHello").isEmpty();
        assertThat(FirstClientHello.isFragment(f[1])).isTrue();
        HelloAssembler a = new HelloAssembler();
        assertThat(a.add(f[1])).isEmpty();
        Optional<byte[]> whole = a.add(f[0]);
        assertThat(whole).as("both fragments are in").isPresent();
        assertThat(whole.get()).isEqualTo(hello);
        assertThat(FirstClientHello.parse(whole.get(), new ClientHellos())).isPresent();
    }

    @Test
    void anOversizedOrInconsistentFragmentIsRefused() {
        byte[] hello = clientHello();
        byte[] bad = fragments(hello, 40)[0];
        bad[13 + 1] = 0x7f; // the message claims to be 8 MB long
        assertThat(new HelloAssembler().add(bad)).isEmpty();
    }
}
