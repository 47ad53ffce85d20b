package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Map;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.junit.jupiter.api.Test;

/**
 * Every native object is freed exactly once: many handshake, record and close cycles
 * leave the live counts where they started, and no session stays registered for the
 * callbacks: 2,000 cycles by default (about 15 s), {@code -Ddtls4j.wolfssl.leakCycles=N} for another number.
 */
class NativeMemoryTest {

    private static final int CYCLES = Integer.getInteger("dtls4j.wolfssl.leakCycles", 2_000);

    @Test
    void handshakeAndCloseCyclesLeaveNoNativeObjectsBehind() {
        Map<NativeObjects.Type, Long> before = NativeObjects.snapshot();
        long started = System.nanoTime();
        try (DtlsContext client = new WolfSslProvider().newContext(Configs.client().build());
             DtlsContext server = new WolfSslProvider().newContext(Configs.server().build())) {
            for (int i = 0; i < CYCLES; i++) {
                RecordingListener c = new RecordingListener();
                RecordingListener s = new RecordingListener();
                DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
                DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
                ss.beginHandshake();
                cs.beginHandshake();
                RecordingListener.pump(cs, c, ss, s);
                assertThat(cs.state()).as("cycle %d: %s", i, c.failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
                cs.send(ByteBuffer.wrap(new byte[] {(byte) i}));
                RecordingListener.pump(cs, c, ss, s);
                assertThat(s.records()).hasSize(1);
                if (i % 3 == 0) {
                    cs.close();
                    RecordingListener.pump(cs, c, ss, s);
                    assertThat(s.closed().isDone()).isTrue();
                } else if (i % 3 == 1) {
                    ss.close();
                    cs.close();
                } else {
                    cs.close(); // and the server session ends when its peer's close_notify is lost
                    ss.close();
                }
            }
        }
        System.out.printf("[wolfssl] %d handshake+record+close cycles in %.1f s; live %s%n",
                CYCLES, (System.nanoTime() - started) / 1e9, NativeObjects.snapshot());
        assertThat(NativeObjects.snapshot()).isEqualTo(before);
        assertThat(WolfSslSession.registered()).isZero();
    }
}
