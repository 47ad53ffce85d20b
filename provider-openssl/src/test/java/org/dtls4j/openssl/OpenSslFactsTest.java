package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.PeerVerification;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What OpenSSL 3 does that this provider relies on, pinned down so that a library update
 * that changes it fails here first.
 */
class OpenSslFactsTest {

    /** A started, hand-driven pair; the sessions and contexts are closed by the caller. */
    private record Pair(DtlsContext clientContext, DtlsContext serverContext, DtlsSession client, RecordingListener c,
                        DtlsSession server, RecordingListener s) implements AutoCloseable {
        static Pair of(DtlsConfig client, DtlsConfig server) {
            DtlsContext cc = new OpenSslProvider().newContext(client);
            DtlsContext sc = new OpenSslProvider().newContext(server);
            RecordingListener c = new RecordingListener();
            RecordingListener s = new RecordingListener();
            DtlsSession cs = cc.newClientSession(SessionPair.SERVER_ADDRESS, c);
            DtlsSession ss = sc.newServerSession(SessionPair.CLIENT_ADDRESS, s);
            ss.beginHandshake();
            cs.beginHandshake();
            RecordingListener.pump(cs, c, ss, s);
            return new Pair(cc, sc, cs, c, ss, s);
        }

        @Override
        public void close() {
            client.close();
            server.close();
            clientContext.close();
            serverContext.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 300, 400, 600, 1400})
    void linkMtuIsTheWholeDatagramAndRecordsFillIt(int size) {
        try (Pair p = Pair.of(TckPki.get().clientConfig().maxDatagramSize(size).build(),
                TckPki.get().serverConfig().credentials(TckPki.get().rsaServer()).maxDatagramSize(size).build())) {
            assertThat(p.client().state()).as("%s", p.c().failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
            for (byte[] d : p.c().sent()) {
                assertThat(d.length).as("client datagram").isLessThanOrEqualTo(size);
            }
            for (byte[] d : p.s().sent()) {
                assertThat(d.length).as("server datagram").isLessThanOrEqualTo(size);
            }
            int max = p.client().maxRecordSize();
            assertThat(max).as("DTLS_get_data_mtu for AES-GCM: header 13, nonce 8, tag 16").isEqualTo(size - 37);
            p.c().outbox().clear();
            p.client().send(ByteBuffer.wrap(new byte[max]));
            assertThat(p.c().outbox()).hasSize(1);
            assertThat(p.c().outbox().peek().length).as("a full record fills the datagram exactly").isEqualTo(size);
        }
    }

    /** A server that requires client certificates, with its own anchors and no verifier: libssl checks the chains. */
    private static DtlsConfig nativelyCheckingServer() {
        return TckPki.get().serverConfig().trustedCertificates(TckPki.get().caCertificate())
                .peerVerification(PeerVerification.REQUIRED).build();
    }

    @Test
    void aClientChainIsCheckedByLibsslWhereOurValidatorWouldAddNothing() {
        DtlsConfig server = nativelyCheckingServer();
        assertThat(NativeTrust.decides(server)).as("own anchors, no verifier, client certificates required").isTrue();
        assertThat(NativeTrust.decides(server.toBuilder().certificateVerifier((chain, role) -> { }).build()))
                .as("a verifier of the application's own keeps the shared validator").isFalse();
        try (Pair p = Pair.of(TckPki.get().clientConfig().credentials(TckPki.get().ecClient()).build(), server)) {
            assertThat(p.server().state()).as("%s", p.s().failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(p.s().info().orElseThrow().peerCertificates()).as("the client's chain is still reported")
                    .first().isEqualTo(TckPki.get().ecClient().certificateChain().get(0));
        }
    }

    @Test
    void libsslRefusesAClientFromAnotherCaWithUnknownCaAndSaysWhy() {
        try (Pair p = Pair.of(TckPki.get().clientConfig().credentials(TckPki.get().untrustedServer()).build(),
                nativelyCheckingServer())) {
            DtlsException failure = p.s().failed().getNow(null);
            assertThat(failure).as("the server's failure").isInstanceOf(DtlsAlertException.class);
            assertThat(((DtlsAlertException) failure).alert()).isEqualTo(DtlsAlert.UNKNOWN_CA);
            assertThat(failure.getMessage()).contains("libssl refused the peer's chain");
        }
    }

    @Test
    void libsslRefusesAnExpiredClientCertificateWithCertificateExpired() {
        try (Pair p = Pair.of(TckPki.get().clientConfig().credentials(TckPki.get().expiredServer()).build(),
                nativelyCheckingServer())) {
            DtlsException failure = p.s().failed().getNow(null);
            assertThat(failure).as("the server's failure").isInstanceOf(DtlsAlertException.class);
            assertThat(((DtlsAlertException) failure).alert()).isEqualTo(DtlsAlert.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void theServersFinishedIsNeverFragmentedAtTheSmallestDatagramSize() {
        // OpenSSL packs a flight up to the datagram size and fragments the message that does
        // not fit, the Finished included; JSSE then fails to verify it. Without a
        // NewSessionTicket the server's last flight (ChangeCipherSpec, Finished) is small.
        try (Pair p = Pair.of(TckPki.get().clientConfig().maxDatagramSize(256).build(), TckPki.get().serverConfig().maxDatagramSize(256).build())) {
            assertThat(p.client().state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            long protectedHandshake = p.s().sent().stream().filter(d -> d[0] == 22 && d[4] == 1).count();
            assertThat(protectedHandshake).as("one Finished record from the server").isEqualTo(1);
        }
    }

    @Test
    void refusalsBecomeTheseAlerts() {
        assertThat(clientRefusal(TckPki.get().serverConfig().credentials(TckPki.get().untrustedServer()).build(), TckPki.get().clientConfig().build()))
                .isEqualTo(DtlsAlert.UNKNOWN_CA);
        assertThat(clientRefusal(TckPki.get().serverConfig().credentials(TckPki.get().expiredServer()).build(), TckPki.get().clientConfig().build()))
                .isEqualTo(DtlsAlert.CERTIFICATE_EXPIRED);
        assertThat(clientRefusal(TckPki.get().serverConfig().build(), TckPki.get().clientConfig().certificateVerifier((chain, role) -> {
            throw new java.security.cert.CertificateException("no");
        }).build())).isEqualTo(DtlsAlert.BAD_CERTIFICATE);
        assertThat(clientRefusal(TckPki.get().serverConfig().build(), TckPki.get().clientConfig().serverName("other.dtls4j.test").build()))
                .as("a host name mismatch").isEqualTo(DtlsAlert.CERTIFICATE_UNKNOWN);
        try (Pair p = Pair.of(TckPki.get().clientConfig().build(), TckPki.get().serverConfig().peerVerification(PeerVerification.REQUIRED).build())) {
            DtlsAlertException e = (DtlsAlertException) p.s().failed().getNow(null);
            assertThat(e.alert()).as("no client certificate").isEqualTo(DtlsAlert.HANDSHAKE_FAILURE);
            assertThat(e.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
            assertThat(((DtlsAlertException) p.c().failed().getNow(null)).origin()).isEqualTo(DtlsAlertException.Origin.PEER);
        }
    }

    private static DtlsAlert clientRefusal(DtlsConfig server, DtlsConfig client) {
        try (Pair p = Pair.of(client, server)) {
            DtlsAlertException c = (DtlsAlertException) p.c().failed().getNow(null);
            DtlsAlertException s = (DtlsAlertException) p.s().failed().getNow(null);
            assertThat(c.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
            assertThat(s.origin()).isEqualTo(DtlsAlertException.Origin.PEER);
            assertThat(s.alert()).isEqualTo(c.alert());
            assertThat(c.getMessage()).as("the message carries OpenSSL's error queue").contains("certificate verify failed");
            return c.alert();
        }
    }

    @Test
    void replaysAndBadMacsAreDroppedSilentlyAndCounted() {
        try (Pair p = Pair.of(TckPki.get().clientConfig().build(), TckPki.get().serverConfig().build())) {
            p.client().send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            byte[] record = p.c().outbox().poll();
            p.server().receive(ByteBuffer.wrap(record));
            assertThat(p.s().records()).hasSize(1);
            p.server().receive(ByteBuffer.wrap(record));
            assertThat(p.s().records()).as("OpenSSL's replay window drops it").hasSize(1);
            assertThat(p.server().droppedDatagrams()).isEqualTo(1);
            p.client().send(ByteBuffer.wrap(new byte[] {4}));
            byte[] corrupt = p.c().outbox().poll();
            corrupt[corrupt.length - 1] ^= 1;
            p.server().receive(ByteBuffer.wrap(corrupt));
            assertThat(p.s().records()).as("a bad tag is discarded").hasSize(1);
            assertThat(p.s().outbox()).as("without an alert").isEmpty();
            assertThat(p.server().droppedDatagrams()).isEqualTo(2);
            assertThat(p.server().state()).isEqualTo(DtlsSessionState.ESTABLISHED);
        }
    }
}
