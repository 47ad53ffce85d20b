package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * Every native object is freed exactly once: many handshake, record and close cycles
 * leave the live counts where they started: 20,000 cycles by default (about 5 s),
 * {@code -Ddtls4j.openssl.leakCycles=N} for another number.
 */
class NativeMemoryTest {

    private static final int CYCLES = Integer.getInteger("dtls4j.openssl.leakCycles", 20_000);

    @Test
    void handshakeAndCloseCyclesLeaveNoNativeObjectsBehind() {
        Map<NativeObjects.Type, Long> before = NativeObjects.COUNTS.snapshot();
        long started = System.nanoTime();
        int resumed = 0;
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().build())) {
            for (int i = 0; i < CYCLES; i++) {
                InMemoryHandshake h = InMemoryHandshake.run(client, server);
                assertThat(h.client().state()).as("cycle %d: %s", i, h.clientEvents().failed().getNow(null))
                        .isEqualTo(DtlsSessionState.ESTABLISHED);
                resumed += h.clientEvents().established().getNow(null).resumed() ? 1 : 0;
                h.clientSends(new byte[] {(byte) i});
                assertThat(h.serverEvents().records()).hasSize(1);
                assertThat(h.endOneOfThreeWays(i)).as("cycle %d: the server saw the close_notify", i).isTrue();
            }
            assertThat(NativeObjects.COUNTS.live(NativeObjects.Type.SSL_SESSION) - before.get(NativeObjects.Type.SSL_SESSION))
                    .as("one cached session per server address").isEqualTo(1);
        }
        System.out.printf("[openssl] %d handshake+record+close cycles (%d resumed) in %.1f s; live %s%n",
                CYCLES, resumed, (System.nanoTime() - started) / 1e9, NativeObjects.COUNTS.snapshot());
        assertThat(resumed).as("later handshakes resume the cached session").isGreaterThan(CYCLES / 2);
        assertThat(NativeObjects.COUNTS.snapshot()).as("live native objects after %d cycles", CYCLES).isEqualTo(before);
    }

    @Test
    void aClientKeepsSessionsForTheNewestServersOnlyNotOnePerServerForever() {
        Map<NativeObjects.Type, Long> before = NativeObjects.COUNTS.snapshot();
        int servers = OpenSslContext.MAX_CLIENT_SESSIONS + 8;
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().build())) {
            for (int i = 0; i < servers; i++) {
                RecordingListener c = new RecordingListener();
                RecordingListener s = new RecordingListener();
                DtlsSession cs = client.newClientSession(
                        new InetSocketAddress(SessionPair.SERVER_ADDRESS.getAddress(), 1024 + i), c);
                DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
                ss.beginHandshake();
                cs.beginHandshake();
                RecordingListener.pump(cs, c, ss, s);
                assertThat(cs.state()).as("handshake with server %d", i).isEqualTo(DtlsSessionState.ESTABLISHED);
                cs.close();
                ss.close();
            }
            assertThat(NativeObjects.COUNTS.live(NativeObjects.Type.SSL_SESSION) - before.get(NativeObjects.Type.SSL_SESSION))
                    .as("cached client sessions after handshakes with %d servers", servers)
                    .isEqualTo(OpenSslContext.MAX_CLIENT_SESSIONS);
        }
        assertThat(NativeObjects.COUNTS.snapshot()).isEqualTo(before);
    }

    @Test
    void sessionsOnManyThreadsShareContextsSafely() throws Exception {
        Map<NativeObjects.Type, Long> before = NativeObjects.COUNTS.snapshot();
        int threads = 8;
        int each = 100;
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().build())) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        int ok = 0;
                        for (int i = 0; i < each; i++) {
                            RecordingListener c = new RecordingListener();
                            RecordingListener s = new RecordingListener();
                            DtlsSession cs = client.newClientSession(
                                    new java.net.InetSocketAddress(SessionPair.SERVER_ADDRESS.getAddress(), 5000 + id), c);
                            DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
                            ss.beginHandshake();
                            cs.beginHandshake();
                            RecordingListener.pump(cs, c, ss, s);
                            cs.send(ByteBuffer.wrap(new byte[] {(byte) i}));
                            RecordingListener.pump(cs, c, ss, s);
                            ok += cs.state() == DtlsSessionState.ESTABLISHED && s.records().size() == 1 ? 1 : 0;
                            cs.close();
                            ss.close();
                        }
                        return ok;
                    }));
                }
                for (var f : done) {
                    assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(each);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(NativeObjects.COUNTS.snapshot()).isEqualTo(before);
    }

    @Test
    void failedSessionsFreeTheirNativeObjectsToo() {
        Map<NativeObjects.Type, Long> before = NativeObjects.COUNTS.snapshot();
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig()
                     .trustedCertificates(org.dtls4j.tck.TckPki.get().untrustedServer().certificateChain().get(0)).build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().build())) {
            for (int i = 0; i < 50; i++) {
                RecordingListener c = new RecordingListener();
                RecordingListener s = new RecordingListener();
                DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
                DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
                ss.beginHandshake();
                cs.beginHandshake();
                RecordingListener.pump(cs, c, ss, s);
                assertThat(cs.state()).isEqualTo(DtlsSessionState.FAILED);
                assertThat(ss.state()).isEqualTo(DtlsSessionState.FAILED);
                cs.close();
                ss.close();
            }
        }
        assertThat(NativeObjects.COUNTS.snapshot()).isEqualTo(before);
    }
}
