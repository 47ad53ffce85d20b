package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.InMemoryHandshake;
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
                InMemoryHandshake h = InMemoryHandshake.run(client, server, resume ? SessionPair.SERVER_ADDRESS
                        : new InetSocketAddress(SessionPair.SERVER_ADDRESS.getAddress(), 1 + i));
                assertThat(h.client().state()).as("cycle %d: %s", i, h.clientEvents().failed().getNow(null))
                        .isEqualTo(DtlsSessionState.ESTABLISHED);
                assertThat(h.server().state()).as("cycle %d: %s", i, h.serverEvents().failed().getNow(null))
                        .isEqualTo(DtlsSessionState.ESTABLISHED);
                h.clientSends(new byte[] {(byte) i});
                assertThat(h.serverEvents().records()).hasSize(1);
                assertThat(h.clientEvents().established().join().resumed()).as("cycle %d resumed", i)
                        .isEqualTo(resume && (provider.capabilities().contains(Capability.SESSION_RESUMPTION)
                                && i % (ClientSessions.MAX_CHAINED + 2) != 0));
                assertThat(h.endOneOfThreeWays(i)).as("cycle %d: the server saw the close_notify", i).isTrue();
            }
        }
        System.out.printf("[wolfssl] %s: %d %s handshake+record+close cycles in %.1f s; live %s%n",
                clientConfig.protocolVersions(), cycles, resume ? "resumed" : "full", (System.nanoTime() - started) / 1e9, NativeObjects.COUNTS.snapshot());
        assertThat(NativeObjects.COUNTS.snapshot()).isEqualTo(before);
        assertThat(Sessions.registered()).isZero();
    }
}
