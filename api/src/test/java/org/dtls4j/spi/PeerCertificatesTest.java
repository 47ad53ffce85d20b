package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.PeerVerification;
import org.dtls4j.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerCertificatesTest {

    private static final String HOST = "server.example.com";

    private static TestPki.Issued ca;
    private static TestPki.Issued server;
    private static TestPki.Issued expired;
    private static TestPki.Issued notYetValid;
    private static TestPki.Issued foreign;
    private static TestPki.Issued noSan;

    @BeforeAll
    static void makePki() {
        ca = TestPki.ca("Test CA");
        server = TestPki.leaf(ca, "server", HOST, "*.wild.example.com");
        Instant now = Instant.now();
        expired = TestPki.leaf(ca, TestPki.ecKeyPair(), "expired", now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)), HOST);
        notYetValid = TestPki.leaf(ca, TestPki.ecKeyPair(), "future", now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)), HOST);
        foreign = TestPki.leaf(TestPki.ca("Other CA"), "foreign", HOST);
        noSan = TestPki.leaf(ca, HOST);
    }

    // ---- raw public keys (RFC 7250) -----------------------------------------------------

    @Test
    void aTrustedRawPublicKeyIsAcceptedAndReportedAsTheTrustedKey() throws Exception {
        java.security.KeyPair trusted = TestPki.ecKeyPair();
        DtlsConfig config = DtlsConfig.builder().trustedRawPublicKeys(TestPki.ecKeyPair().getPublic(), trusted.getPublic())
                .build();

        assertThat(PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, trusted.getPublic().getEncoded()))
                .isSameAs(trusted.getPublic());
    }

    @Test
    void anUntrustedOrUnreadableRawPublicKeyIsRefusedWithBadCertificate() {
        DtlsConfig config = DtlsConfig.builder().trustedRawPublicKeys(TestPki.ecKeyPair().getPublic()).build();
        assertThatThrownBy(() -> PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT,
                TestPki.ecKeyPair().getPublic().getEncoded()))
                .isInstanceOfSatisfying(PeerCertificates.RefusedException.class,
                        e -> assertThat(e.alert()).isEqualTo(DtlsAlert.BAD_CERTIFICATE))
                .hasMessageContaining("trustedRawPublicKeys");
        for (byte[] garbage : List.of(new byte[] {1, 2, 3}, new byte[0])) {
            assertThatThrownBy(() -> PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, garbage))
                    .isInstanceOfSatisfying(PeerCertificates.RefusedException.class,
                            e -> assertThat(e.alert()).isEqualTo(DtlsAlert.BAD_CERTIFICATE))
                    .hasMessageContaining("cannot read");
        }
    }

    @Test
    void aRawPublicKeyTrustDecidesForKeysNotListedAndItsFailureRefuses() throws Exception {
        java.security.PublicKey known = TestPki.ecKeyPair().getPublic();
        java.security.PublicKey stranger = TestPki.ecKeyPair().getPublic();
        List<DtlsRole> asked = new java.util.ArrayList<>();
        DtlsConfig config = DtlsConfig.builder().rawPublicKeyTrust((key, role) -> {
            asked.add(role);
            return key.equals(known);
        }).build();

        assertThat(PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, known.getEncoded())).isEqualTo(known);
        assertThat(asked).as("the trust was asked, with the local role").containsExactly(DtlsRole.CLIENT);
        assertThatThrownBy(() -> PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, stranger.getEncoded()))
                .isInstanceOf(PeerCertificates.RefusedException.class).hasMessageContaining("refused");
        DtlsConfig broken = DtlsConfig.builder().rawPublicKeyTrust((key, role) -> {
            throw new IllegalStateException("registry down");
        }).build();
        assertThatThrownBy(() -> PeerCertificates.validateRawPublicKey(broken, DtlsRole.CLIENT, known.getEncoded()))
                .isInstanceOf(PeerCertificates.RefusedException.class).hasMessageContaining("registry down");
    }

    @Test
    void withVerificationOffAnyReadableRawPublicKeyIsTakenAsItIs() throws Exception {
        java.security.PublicKey any = TestPki.ecKeyPair().getPublic();
        DtlsConfig config = DtlsConfig.builder().peerVerification(PeerVerification.NONE).build();

        assertThat(PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, any.getEncoded())).isEqualTo(any);
        assertThatThrownBy(() -> PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, new byte[] {1}))
                .isInstanceOf(PeerCertificates.RefusedException.class).hasMessageContaining("cannot read");
    }

    // ---- PKIX ----------------------------------------------------------------------------

    @Test
    void chainFromTheTrustedCaIsAccepted() {
        DtlsConfig config = trusting().build();

        assertThatCode(() -> PeerCertificates.validate(config, DtlsRole.CLIENT, List.of(server.certificate()), HOST))
                .as("end-entity certificate alone").doesNotThrowAnyException();
        assertThatCode(() -> PeerCertificates.validate(config, DtlsRole.CLIENT,
                List.of(server.certificate(), ca.certificate()), HOST))
                .as("chain that ends in the anchor itself").doesNotThrowAnyException();
    }

    @Test
    void chainFromAnotherCaIsRefusedAsUnknownCa() {
        assertRefused(trusting().build(), DtlsRole.CLIENT, List.of(foreign.certificate()), HOST, DtlsAlert.UNKNOWN_CA)
                .hasMessageContaining("does not validate");
    }

    @Test
    void ownCaIsUnknownToTheJdkTrustStore() {
        // No trustedCertificates: the JDK's default store, which never holds a test CA.
        assertRefused(DtlsConfig.builder().build(), DtlsRole.CLIENT, List.of(server.certificate()), HOST,
                DtlsAlert.UNKNOWN_CA);
        assertThat(PeerCertificates.trustAnchors(DtlsConfig.builder().build()))
                .extracting(TrustAnchor::getTrustedCert).doesNotContain(ca.certificate());
    }

    @Test
    void configuredAnchorsReplaceTheJdkTrustStore() {
        assertThat(PeerCertificates.trustAnchors(trusting().build()))
                .extracting(TrustAnchor::getTrustedCert).containsExactly(ca.certificate());
    }

    @Test
    void expiredCertificateIsRefusedAsExpired() {
        assertRefused(trusting().build(), DtlsRole.CLIENT, List.of(expired.certificate()), HOST,
                DtlsAlert.CERTIFICATE_EXPIRED).hasMessageContaining("expired");
    }

    @Test
    void certificateNotYetValidIsRefusedAsBad() {
        assertRefused(trusting().build(), DtlsRole.CLIENT, List.of(notYetValid.certificate()), HOST,
                DtlsAlert.BAD_CERTIFICATE).hasMessageContaining("not yet valid");
    }

    // ---- the application's verifier ------------------------------------------------------

    @Test
    void verifierVetoIsRefusedAsBadCertificateWithTheVetoAsCause() {
        CertificateException veto = new CertificateException("serial number is on our deny list");
        DtlsConfig config = trusting().certificateVerifier((chain, role) -> {
            throw veto;
        }).build();

        assertRefused(config, DtlsRole.CLIENT, List.of(server.certificate()), HOST, DtlsAlert.BAD_CERTIFICATE)
                .hasMessageContaining("serial number is on our deny list")
                .hasCause(veto);
    }

    @Test
    void verifierThatThrowsARuntimeExceptionRefusesAsBadCertificate() {
        IllegalStateException bug = new IllegalStateException("verifier bug");
        DtlsConfig config = trusting().certificateVerifier((chain, role) -> {
            throw bug;
        }).build();

        assertRefused(config, DtlsRole.CLIENT, List.of(server.certificate()), HOST, DtlsAlert.BAD_CERTIFICATE)
                .hasMessageContaining("certificate verifier failed")
                .hasCause(bug);
    }

    @Test
    void verifierSeesTheChainAndTheLocalRoleAfterPkixPassed() throws Exception {
        List<Object> calls = new ArrayList<>();
        DtlsConfig config = trusting().certificateVerifier((chain, role) -> {
            calls.add(chain);
            calls.add(role);
        }).build();
        List<X509Certificate> chain = List.of(server.certificate(), ca.certificate());

        PeerCertificates.validate(config, DtlsRole.CLIENT, chain, HOST);

        assertThat(calls).as("verifier arguments").containsExactly(chain, DtlsRole.CLIENT);
    }

    @Test
    void verifierIsNotAskedAboutAChainThatFailedValidation() {
        List<Object> calls = new ArrayList<>();
        DtlsConfig config = trusting().certificateVerifier((chain, role) -> calls.add(chain)).build();

        assertThatThrownBy(() -> PeerCertificates.validate(config, DtlsRole.CLIENT, List.of(foreign.certificate()), HOST))
                .isInstanceOf(PeerCertificates.RefusedException.class);
        assertThat(calls).as("verifier calls").isEmpty();
    }

    // ---- verification modes and empty chains ----------------------------------------------

    @Test
    void serverRequiringAClientCertificateRefusesAnEmptyChain() {
        DtlsConfig config = trusting().peerVerification(PeerVerification.REQUIRED).build();

        assertRefused(config, DtlsRole.SERVER, List.of(), "", DtlsAlert.HANDSHAKE_FAILURE)
                .hasMessageContaining("presented no certificate but one is required");
    }

    @Test
    void serverWithNoneOrOptionalAcceptsAnEmptyChain() {
        for (PeerVerification mode : new PeerVerification[] {PeerVerification.NONE, PeerVerification.OPTIONAL}) {
            DtlsConfig config = trusting().peerVerification(mode).build();

            assertThatCode(() -> PeerCertificates.validate(config, DtlsRole.SERVER, List.of(), ""))
                    .as("server in %s mode, client without certificate", mode).doesNotThrowAnyException();
        }
    }

    @Test
    void defaultServerAcceptsAClientWithoutCertificate() {
        assertThatCode(() -> PeerCertificates.validate(trusting().build(), DtlsRole.SERVER, List.of(), ""))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"REQUIRED", "OPTIONAL"})
    void clientRefusesAServerWithoutCertificate(PeerVerification mode) {
        // PeerVerification: "For a client [OPTIONAL] is the same as REQUIRED."
        DtlsConfig config = trusting().peerVerification(mode).build();

        assertRefused(config, DtlsRole.CLIENT, List.of(), HOST, DtlsAlert.BAD_CERTIFICATE);
    }

    @Test
    void optionalServerStillValidatesAChainThatIsPresented() {
        DtlsConfig config = trusting().peerVerification(PeerVerification.OPTIONAL).build();

        assertRefused(config, DtlsRole.SERVER, List.of(foreign.certificate()), "", DtlsAlert.UNKNOWN_CA);
    }

    @Test
    void noneSkipsPkixButStillAsksTheVerifier() throws Exception {
        List<DtlsRole> roles = new ArrayList<>();
        DtlsConfig config = trusting().peerVerification(PeerVerification.NONE)
                .certificateVerifier((chain, role) -> roles.add(role)).build();

        PeerCertificates.validate(config, DtlsRole.SERVER, List.of(foreign.certificate()), "");
        PeerCertificates.validate(config, DtlsRole.CLIENT, List.of(expired.certificate()), "elsewhere.example");

        assertThat(roles).as("verifier calls for chains that PKIX would refuse")
                .containsExactly(DtlsRole.SERVER, DtlsRole.CLIENT);
    }

    @Test
    void noneStillHonoursAVerifierVeto() {
        DtlsConfig config = trusting().peerVerification(PeerVerification.NONE)
                .certificateVerifier((chain, role) -> {
                    throw new CertificateException("pinned key mismatch");
                }).build();

        assertRefused(config, DtlsRole.SERVER, List.of(foreign.certificate()), "", DtlsAlert.BAD_CERTIFICATE)
                .hasMessageContaining("pinned key mismatch");
    }

    // ---- host names ----------------------------------------------------------------------

    @Test
    void serverCertificateForAnotherHostIsRefused() {
        assertRefused(trusting().build(), DtlsRole.CLIENT, List.of(server.certificate()), "other.example.com",
                DtlsAlert.CERTIFICATE_UNKNOWN)
                .hasMessageContaining("no DNS subjectAltName matching 'other.example.com'");
    }

    @Test
    void hostNameMatchIgnoresCase() {
        assertThatCode(() -> PeerCertificates.validate(trusting().build(), DtlsRole.CLIENT,
                List.of(server.certificate()), "Server.EXAMPLE.com")).doesNotThrowAnyException();
    }

    @Test
    void hostNameIsNotCheckedWhenVerificationIsOffOrNoNameIsGiven() {
        DtlsConfig off = trusting().hostnameVerification(false).build();

        assertThatCode(() -> PeerCertificates.validate(off, DtlsRole.CLIENT, List.of(server.certificate()),
                "other.example.com")).as("hostnameVerification(false)").doesNotThrowAnyException();
        assertThatCode(() -> PeerCertificates.validate(trusting().build(), DtlsRole.CLIENT,
                List.of(server.certificate()), "")).as("empty server name").doesNotThrowAnyException();
    }

    @Test
    void serverDoesNotMatchClientCertificatesToAHostName() {
        DtlsConfig config = trusting().peerVerification(PeerVerification.REQUIRED).build();

        assertThatCode(() -> PeerCertificates.validate(config, DtlsRole.SERVER, List.of(server.certificate()),
                "other.example.com")).doesNotThrowAnyException();
    }

    @Test
    void commonNameIsNotUsedAsAHostName() {
        assertRefused(trusting().build(), DtlsRole.CLIENT, List.of(noSan.certificate()), HOST,
                DtlsAlert.CERTIFICATE_UNKNOWN);
    }

    @Test
    void wildcardMatchesExactlyOneLabel() {
        DtlsConfig config = trusting().build();
        List<X509Certificate> chain = List.of(server.certificate());

        assertThatCode(() -> PeerCertificates.validate(config, DtlsRole.CLIENT, chain, "device.wild.example.com"))
                .as("*.wild.example.com for one label").doesNotThrowAnyException();
        assertRefused(config, DtlsRole.CLIENT, chain, "a.b.wild.example.com", DtlsAlert.CERTIFICATE_UNKNOWN);
        assertRefused(config, DtlsRole.CLIENT, chain, "wild.example.com", DtlsAlert.CERTIFICATE_UNKNOWN);
        assertRefused(config, DtlsRole.CLIENT, chain, ".wild.example.com", DtlsAlert.CERTIFICATE_UNKNOWN);
    }

    private static DtlsConfig.Builder trusting() {
        return DtlsConfig.builder().trustedCertificates(ca.certificate());
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            DtlsConfig config, DtlsRole role, List<X509Certificate> chain, String serverName, DtlsAlert alert) {
        var refusal = assertThatThrownBy(() -> PeerCertificates.validate(config, role, chain, serverName))
                .as("validate as %s, server name '%s'", role, serverName)
                .isInstanceOfSatisfying(PeerCertificates.RefusedException.class,
                        e -> assertThat(e.alert()).as("alert for: %s", e.getMessage()).isEqualTo(alert));
        if (alert != DtlsAlert.HANDSHAKE_FAILURE) {
            assertThat(alert.isCertificateAlert()).as("%s is a certificate alert", alert).isTrue();
        }
        return refusal;
    }
}
