package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * Refused handshakes: the alert each side reports, and that the refusing side's alert
 * really reaches the peer.
 */
class AlertTest {

    @Test
    void clientVetoSendsBadCertificateAndBothSidesReportIt() {
        List<List<?>> seen = new ArrayList<>();
        DtlsConfig client = Configs.client().certificateVerifier((chain, role) -> {
            seen.add(chain);
            throw new CertificateException("vetoed by the test");
        }).build();
        try (Pair p = Pair.of(client, Configs.server().build()).start()) {
            failBoth(p);
            DtlsAlertException local = alert(p.client);
            DtlsAlertException peer = alert(p.server);
            assertThat(local.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
            assertThat(local.alert()).isEqualTo(DtlsAlert.BAD_CERTIFICATE);
            assertThat(local).hasMessageContaining("vetoed by the test").hasRootCauseMessage("vetoed by the test");
            assertThat(peer.origin()).isEqualTo(DtlsAlertException.Origin.PEER);
            assertThat(peer.alert()).isEqualTo(DtlsAlert.BAD_CERTIFICATE);
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void serverVetoSendsACertificateAlertAndBothSidesReportTheSameOne() {
        List<DtlsRole> roles = new ArrayList<>();
        DtlsConfig server = Configs.mutualServer().certificateVerifier((chain, role) -> {
            roles.add(role);
            throw new CertificateException("client vetoed");
        }).build();
        try (Pair p = Pair.of(Configs.mutualClient().build(), server).start()) {
            failBoth(p);
            DtlsAlertException local = alert(p.server);
            DtlsAlertException peer = alert(p.client);
            assertThat(local.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
            assertThat(peer.origin()).isEqualTo(DtlsAlertException.Origin.PEER);
            // A JDK 17 server sends certificate_unknown for every refused client chain.
            assertThat(local.alert()).isEqualTo(DtlsAlert.CERTIFICATE_UNKNOWN).isEqualTo(peer.alert());
            assertThat(local.alert().isCertificateAlert()).isTrue();
            assertThat(local).hasRootCauseMessage("client vetoed");
            assertThat(roles).containsExactly(DtlsRole.SERVER);
        }
    }

    @Test
    void expiredServerCertificateSendsCertificateExpired() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server(TckPki.get().expiredServer()).build()).start()) {
            failBoth(p);
            assertThat(alert(p.client).alert()).isEqualTo(DtlsAlert.CERTIFICATE_EXPIRED);
            assertThat(alert(p.server).alert()).isEqualTo(DtlsAlert.CERTIFICATE_EXPIRED);
            assertThat(alert(p.server).origin()).isEqualTo(DtlsAlertException.Origin.PEER);
        }
    }

    @Test
    void untrustedServerCertificateSendsACertificateAlert() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server(TckPki.get().untrustedServer()).build()).start()) {
            failBoth(p);
            // The validator asks for unknown_ca; JSSE has no reason code for it and sends certificate_unknown.
            assertThat(alert(p.client).alert()).isEqualTo(DtlsAlert.CERTIFICATE_UNKNOWN);
            assertThat(alert(p.server).alert()).isEqualTo(DtlsAlert.CERTIFICATE_UNKNOWN);
        }
    }

    @Test
    void wrongHostNameIsRefused() {
        DtlsConfig client = Configs.client().serverName("other.jsse.test").build();
        try (Pair p = Pair.of(client, Configs.server().build()).start()) {
            failBoth(p);
            assertThat(alert(p.client).alert().isCertificateAlert()).isTrue();
            assertThat(alert(p.client)).hasMessageContaining("other.jsse.test");
        }
    }

    @Test
    void missingClientCertificateFailsBothSidesWithTheSameAlert() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.mutualServer().build()).start()) {
            failBoth(p);
            DtlsAlertException local = alert(p.server);
            DtlsAlertException peer = alert(p.client);
            assertThat(local.origin()).isEqualTo(DtlsAlertException.Origin.LOCAL);
            assertThat(peer.origin()).isEqualTo(DtlsAlertException.Origin.PEER);
            assertThat(peer.alert()).isEqualTo(local.alert());
        }
    }

    @Test
    void noCommonApplicationProtocolFailsTheHandshake() {
        DtlsConfig client = Configs.client().applicationProtocols("h2").build();
        DtlsConfig server = Configs.server().applicationProtocols("coap").build();
        try (Pair p = Pair.of(client, server).start()) {
            failBoth(p);
            assertThat(alert(p.server).alert()).isEqualTo(DtlsAlert.NO_APPLICATION_PROTOCOL);
            assertThat(alert(p.client).alert()).isEqualTo(DtlsAlert.NO_APPLICATION_PROTOCOL);
        }
    }

    @Test
    void aFailedSessionRefusesEverythingAndArmsNoTimer() {
        DtlsConfig client = Configs.client().certificateVerifier((chain, role) -> {
            throw new CertificateException("no");
        }).build();
        try (Pair p = Pair.of(client, Configs.server().build()).start()) {
            failBoth(p);
            DtlsSession s = p.client.session;
            assertThat(s.state()).isEqualTo(DtlsSessionState.FAILED);
            assertThat(s.nextTimeout()).isEqualTo(DtlsSession.NO_TIMEOUT);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.client.send(new byte[] {1}))
                    .isInstanceOf(org.dtls4j.DtlsClosedException.class);
            long dropped = s.droppedDatagrams();
            s.receive(java.nio.ByteBuffer.wrap(new byte[] {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0}));
            assertThat(s.droppedDatagrams()).isEqualTo(dropped + 1);
            s.handleTimeout();
            s.close();
            assertThat(s.state()).isEqualTo(DtlsSessionState.FAILED);
            assertThat(p.client.failures()).hasSize(1);
        }
    }

    private static void failBoth(Pair p) {
        boolean done = p.runUntil(() -> !p.client.failures().isEmpty() && !p.server.failures().isEmpty(),
                java.time.Duration.ofSeconds(30));
        assertThat(done).as("both sides must fail\n%s", p.describe()).isTrue();
        assertThat(p.client.info()).isEmpty();
        assertThat(p.client.session.state()).isEqualTo(DtlsSessionState.FAILED);
        assertThat(p.server.session.state()).isEqualTo(DtlsSessionState.FAILED);
    }

    private static DtlsAlertException alert(Pair.End end) {
        DtlsException f = end.failure();
        assertThat(f).isInstanceOf(DtlsAlertException.class);
        return (DtlsAlertException) f;
    }
}
