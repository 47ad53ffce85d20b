package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * Every native object is freed exactly once: many handshake, record and close cycles
 * leave the live counts where they started, and no session stays registered for the
 * callbacks: 2,000 DTLS 1.2 cycles by default (7 to 22 s here, with other builds running) and
 * a quarter as many in DTLS 1.3; {@code -Ddtls4j.wolfssl.leakCycles=N} for another number.
 */
@NeedsWolfSsl
class NativeMemoryTest {

    private static final int CYCLES = Integer.getInteger("dtls4j.wolfssl.leakCycles", 2_000);

    /** Full handshakes: each cycle's server has another address, so the client has no session to resume. */
    @Test
    void handshakeAndCloseCyclesLeaveNoNativeObjectsBehind() {
        cycles(new WolfSslProvider(), TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build(),
                TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build(), CYCLES, false);
    }

    @Test
    void dtls13CyclesLeaveNoNativeObjectsBehind() {
        cycles(new WolfSslProvider(), TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build(),
                TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build(), CYCLES / 4, false);
    }

    /**
     * Resumed handshakes, one server address: the client's cached sessions are replaced each
     * cycle, and in DTLS 1.3 dropped after {@link ClientSessions#MAX_CHAINED} resumptions in a row.
     */
    @Test
    void resumedCyclesLeaveNoNativeObjectsBehind() {
        cycles(new WolfSslProvider(), TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build(),
                TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build(), CYCLES / 4, true);
        cycles(new WolfSslProvider(), TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build(),
                TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build(), CYCLES / 4, true);
    }

    private static void cycles(WolfSslProvider provider, DtlsConfig clientConfig, DtlsConfig serverConfig, int cycles,
                               boolean resume) {
        Map<NativeObjects.Type, Long> before = NativeObjects.COUNTS.snapshot();
        long started = System.nanoTime();
        try (DtlsContext client = provider.newContext(clientConfig);
             DtlsContext server = provider.newContext(serverConfig)) {
            for (int i = 0; i < cycles; i++) {
                RecordingListener c = new RecordingListener();
                RecordingListener s = new RecordingListener();
                DtlsSession cs = client.newClientSession(resume ? SessionPair.SERVER_ADDRESS
                        : new InetSocketAddress(SessionPair.SERVER_ADDRESS.getAddress(), 1 + i), c);
                DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
                ss.beginHandshake();
                cs.beginHandshake();
                RecordingListener.pump(cs, c, ss, s);
                assertThat(cs.state()).as("cycle %d: %s", i, c.failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
                assertThat(ss.state()).as("cycle %d: %s", i, s.failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
                cs.send(ByteBuffer.wrap(new byte[] {(byte) i}));
                RecordingListener.pump(cs, c, ss, s);
                assertThat(s.records()).hasSize(1);
                assertThat(c.established().join().resumed()).as("cycle %d resumed", i)
                        .isEqualTo(resume && (provider.capabilities().contains(Capability.SESSION_RESUMPTION)
                                && i % (ClientSessions.MAX_CHAINED + 2) != 0));
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
        System.out.printf("[wolfssl] %s: %d %s handshake+record+close cycles in %.1f s; live %s%n",
                clientConfig.protocolVersions(), cycles, resume ? "resumed" : "full", (System.nanoTime() - started) / 1e9, NativeObjects.COUNTS.snapshot());
        assertThat(NativeObjects.COUNTS.snapshot()).isEqualTo(before);
        assertThat(Sessions.registered()).isZero();
    }
}
