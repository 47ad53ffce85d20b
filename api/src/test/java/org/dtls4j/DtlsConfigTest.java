package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.dtls4j.spi.ConfigFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsConfigTest {

    private static final PreSharedKey PSK = PreSharedKey.ofHex("client-1", "00112233445566778899aabbccddeeff");

    private static Credentials ecCredentials;
    private static Credentials rsaCredentials;

    @BeforeAll
    static void makeCredentials() {
        KeyPair ec = TestPki.ecKeyPair();
        ecCredentials = Credentials.of(ec.getPrivate(), TestPki.selfSigned(ec, "ec.example", "SHA256withECDSA"));
        KeyPair rsa = TestPki.sharedRsaKeyPair();
        rsaCredentials = Credentials.of(rsa.getPrivate(), TestPki.selfSigned(rsa, "rsa.example", "SHA256withRSA"));
    }

    // ---- defaults ------------------------------------------------------------------

    @Test
    void defaultsOfferDtls12AndDtls13ForTheProviderToNarrow() {
        DtlsConfig config = DtlsConfig.builder().build();

        assertThat(config.protocolVersions()).as("default protocol versions")
                .containsExactlyInAnyOrder(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);
        assertThat(config.protocolVersionsExplicit()).as("versions left unset").isFalse();
        assertThat(config.cipherSuites()).as("the TLS 1.3 defaults first, then DTLS 1.2's")
                .startsWith(DtlsConfig.DEFAULT_TLS13_CIPHER_SUITES.toArray(String[]::new))
                .endsWith(DtlsConfig.DEFAULT_CIPHER_SUITES.toArray(String[]::new))
                .hasSize(DtlsConfig.DEFAULT_TLS13_CIPHER_SUITES.size() + DtlsConfig.DEFAULT_CIPHER_SUITES.size());
        assertThat(config.toBuilder().build().protocolVersionsExplicit()).as("toBuilder keeps them unset").isFalse();
    }

    @Test
    void dtls13DefaultsToRfc8446sThreeAeadSuites() {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3).build();

        assertThat(config.cipherSuites()).as("DTLS 1.3 defaults").containsExactly(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
        assertThat(config.protocolVersionsExplicit()).isTrue();
        assertThat(DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3).preSharedKey(PSK).build().cipherSuites())
                .as("TLS 1.3 suites serve a PSK too").isEqualTo(config.cipherSuites());
    }

    @Test
    void unsetVersionsFollowExplicitSuites() {
        assertThat(DtlsConfig.builder().cipherSuites("TLS_AES_128_GCM_SHA256").build().protocolVersions())
                .as("only TLS 1.3 suites").containsExactly(ProtocolVersion.DTLS_1_3);
        assertThat(DtlsConfig.builder().cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build().protocolVersions())
                .as("only DTLS 1.2 suites").containsExactly(ProtocolVersion.DTLS_1_2);
    }

    @Test
    void aTls13SuiteWithoutDtls13IsRefused() {
        assertThatThrownBy(() -> DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2)
                .cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'TLS_AES_128_GCM_SHA256' is a TLS 1.3 suite")
                .hasMessageContaining("add ProtocolVersion.DTLS_1_3");
    }

    @Test
    void dtls12SuitesWithDtls13AloneAreRefused() {
        assertThatThrownBy(() -> DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3)
                .cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' is a DTLS 1.2 suite")
                .hasMessageContaining("add ProtocolVersion.DTLS_1_2");
    }

    @Test
    void eachEnabledVersionNeedsASuiteOfItsOwn() {
        assertThatThrownBy(() -> DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("DTLS 1.3 is enabled but no TLS 1.3 suite is")
                .hasMessageContaining("remove DTLS_1_3 from protocolVersions");
        assertThatThrownBy(() -> DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3)
                .cipherSuites("TLS_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("DTLS 1.2 is enabled but only TLS 1.3 suites are")
                .hasMessageContaining("protocolVersions(ProtocolVersion.DTLS_1_3)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_AES_128_CCM_8_SHA256", "TLS_SHA256_SHA256", "TLS_NULL_SHA256"})
    void tls13SuitesWithoutAFullAeadTagAreRefused(String suite) {
        assertThatThrownBy(() -> DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3).cipherSuites(suite).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'" + suite + "' is not a TLS 1.3 suite dtls4j accepts")
                .hasMessageContaining("TLS_AES_128_GCM_SHA256");
    }

    @Test
    void tls13AesCcmIsAcceptedForConstrainedDevices() {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3)
                .cipherSuites("TLS_AES_128_CCM_SHA256").credentials(rsaCredentials).build();
        assertThat(config.cipherSuites()).containsExactly("TLS_AES_128_CCM_SHA256");
        assertThat(ConfigFacts.hasCertificateSuites(config)).as("a TLS 1.3 suite signs with any key").isTrue();
        assertThat(ConfigFacts.hasPskSuites(config)).as("and serves a PSK").isTrue();
    }

    @Test
    void defaultSuitesAreTheEcdheAeadSuites() {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2).build();

        assertThat(config.cipherSuites()).as("default DTLS 1.2 cipher suites")
                .isEqualTo(DtlsConfig.DEFAULT_CIPHER_SUITES)
                .allSatisfy(s -> assertThat(s).as("every default suite is ECDHE").startsWith("TLS_ECDHE_"))
                .allSatisfy(s -> assertThat(s).as("every default suite is AEAD").containsAnyOf("_GCM_", "_CHACHA20_POLY1305_"));
        assertThat(ConfigFacts.hasPskSuites(config)).as("defaults hold no PSK suite").isFalse();
        assertThat(ConfigFacts.hasCertificateSuites(config)).as("defaults authenticate with certificates").isTrue();
    }

    @Test
    void clientsVerifyServersAndServersDoNotAskClientsByDefault() {
        DtlsConfig config = DtlsConfig.builder().build();

        assertThat(ConfigFacts.peerVerification(config, DtlsRole.CLIENT)).as("client default").isEqualTo(PeerVerification.REQUIRED);
        assertThat(ConfigFacts.peerVerification(config, DtlsRole.SERVER)).as("server default").isEqualTo(PeerVerification.NONE);
        assertThat(config.hostnameVerification()).as("hostname verification default").isTrue();
        assertThat(config.certificateVerifier()).as("default verifier").isSameAs(CertificateVerifier.ACCEPT_ALL);
        assertThat(config.trustedCertificates()).as("no explicit anchors: the JDK's are used").isEmpty();
    }

    @Test
    void defaultTimersAreOneSecondSixtySecondsAndSixtySeconds() {
        DtlsConfig config = DtlsConfig.builder().build();

        assertThat(config.initialRetransmitTimeout()).as("initial retransmission").isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxRetransmitTimeout()).as("maximum retransmission").isEqualTo(Duration.ofSeconds(60));
        assertThat(config.handshakeTimeout()).as("handshake timeout").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void defaultDatagramSizeIs1400() {
        assertThat(DtlsConfig.builder().build().maxDatagramSize()).as("default datagram size").isEqualTo(1400);
    }

    @Test
    void defaultsTurnOffEveryOptionalFeature() {
        DtlsConfig config = DtlsConfig.builder().build();

        assertThat(config.credentials()).as("credentials").isEmpty();
        assertThat(config.applicationProtocols()).as("ALPN").isEmpty();
        assertThat(config.serverName()).as("SNI").isEmpty();
        assertThat(config.preSharedKey()).as("PSK").isEmpty();
        assertThat(config.pskKeyStore()).as("PSK key store").isEmpty();
        assertThat(config.pskIdentityHint()).as("PSK hint").isEmpty();
        assertThat(config.heartbeat()).as("heartbeat").isFalse();
        assertThat(config.connectionIdLength()).as("connection ID").isEmpty();
        assertThat(config.srtpProfiles()).as("SRTP").isEmpty();
        assertThat(config.cookieAuthority()).as("a server needs a cookie authority by default").isNotNull();
    }

    // ---- validation ----------------------------------------------------------------

    @Test
    void noProtocolVersionIsRefusedNamingTheSetter() {
        assertThatThrownBy(() -> DtlsConfig.builder().protocolVersions(Set.of()).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no protocol version")
                .hasMessageContaining("protocolVersions(ProtocolVersion.DTLS_1_2)");
    }

    @Test
    void anUnknownSrtpProfileIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> DtlsConfig.builder().srtpProfiles("SRTP_AES128_CM_HMAC_SHA1_80").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'SRTP_AES128_CM_HMAC_SHA1_80'")
                .hasMessageContaining("SRTP_AES128_CM_SHA1_80, SRTP_AES128_CM_SHA1_32, SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM");
        assertThatThrownBy(() -> DtlsConfig.builder().srtpProfiles("SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM").build())
                .isInstanceOf(DtlsConfigurationException.class).hasMessageContaining("twice");
        assertThat(DtlsConfig.builder().srtpProfiles("SRTP_AEAD_AES_256_GCM", "SRTP_AES128_CM_SHA1_32").build()
                .srtpProfiles()).as("known profiles, in the order given")
                .containsExactly("SRTP_AEAD_AES_256_GCM", "SRTP_AES128_CM_SHA1_32");
    }

    @Test
    void repeatedProtocolVersionsAreAccepted() {
        DtlsConfig config = DtlsConfig.builder()
                .protocolVersions(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_2).build();

        assertThat(config.protocolVersions()).as("a repeated version counts once").containsExactly(ProtocolVersion.DTLS_1_2);
    }

    @Test
    void emptySuiteListIsRefusedPointingAtTheDefaults() {
        assertThatThrownBy(() -> DtlsConfig.builder().cipherSuites(List.of()).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no cipher suite")
                .hasMessageContaining("leave cipherSuites unset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-ECDSA-AES128-GCM-SHA256", "SSL_RSA_WITH_AES_128_CBC_SHA", "tls_psk_with_aes_128_gcm_sha256"})
    void nonIanaSuiteNameIsRefusedWithAnExampleOfTheRightForm(String suite) {
        assertThatThrownBy(() -> DtlsConfig.builder().cipherSuites(suite).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'" + suite + "'")
                .hasMessageContaining("IANA")
                .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void repeatedSuitesCountOnceInFirstOrder() {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build();

        assertThat(config.cipherSuites()).containsExactly(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void maximumRetransmissionBelowInitialIsRefused() {
        assertThatThrownBy(() -> DtlsConfig.builder()
                .retransmission(Duration.ofSeconds(5), Duration.ofSeconds(2)).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("below the initial interval")
                .hasMessageContaining("retransmission(initial, maximum) with maximum >= initial");
    }

    @Test
    void equalInitialAndMaximumRetransmissionIsAccepted() {
        assertThatCode(() -> DtlsConfig.builder().retransmission(Duration.ofSeconds(3), Duration.ofSeconds(3)).build())
                .as("a constant interval is a valid schedule").doesNotThrowAnyException();
    }

    @Test
    void handshakeTimeoutShorterThanOneIntervalIsRefused() {
        assertThatThrownBy(() -> DtlsConfig.builder()
                .retransmission(Duration.ofSeconds(10), Duration.ofSeconds(60))
                .handshakeTimeout(Duration.ofSeconds(5)).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("shorter than one retransmission interval")
                .hasMessageContaining("raise handshakeTimeout(...)");
    }

    @Test
    void nonPositiveDurationsAreRefusedNamingTheTimer() {
        assertThatThrownBy(() -> DtlsConfig.builder().retransmission(Duration.ZERO, Duration.ofSeconds(1)).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("initial retransmission interval must be positive");
        assertThatThrownBy(() -> DtlsConfig.builder().handshakeTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("handshake timeout must be positive");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, DtlsConfig.MIN_DATAGRAM_SIZE - 1, DtlsConfig.MAX_DATAGRAM_SIZE + 1, Integer.MAX_VALUE})
    void datagramSizeOutOfRangeIsRefusedNamingTheRange(int size) {
        assertThatThrownBy(() -> DtlsConfig.builder().maxDatagramSize(size).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("maxDatagramSize " + size)
                .hasMessageContaining("256..65507")
                .hasMessageContaining("path MTU");
    }

    @ParameterizedTest
    @ValueSource(ints = {DtlsConfig.MIN_DATAGRAM_SIZE, 1200, DtlsConfig.MAX_DATAGRAM_SIZE})
    void datagramSizeWithinRangeIsAccepted(int size) {
        assertThat(DtlsConfig.builder().maxDatagramSize(size).build().maxDatagramSize()).isEqualTo(size);
    }

    @Test
    void emptyAlpnProtocolIsRefused() {
        assertThatThrownBy(() -> DtlsConfig.builder().applicationProtocols("coap", "").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("ALPN protocol ''")
                .hasMessageContaining("1 to 255 bytes");
    }

    @Test
    void alpnProtocolLongerThan255BytesIsRefused() {
        String tooLong = "é".repeat(128); // 256 bytes in UTF-8, 128 chars
        assertThatThrownBy(() -> DtlsConfig.builder().applicationProtocols(tooLong).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("1 to 255 bytes in UTF-8");
        assertThatCode(() -> DtlsConfig.builder().applicationProtocols("x".repeat(255)).build())
                .as("255 bytes is the limit, inclusive").doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "10.0.0.255", "2001:db8::1", "::1", "[::1]"})
    void ipLiteralAsServerNameIsRefused(String literal) {
        assertThatThrownBy(() -> DtlsConfig.builder().serverName(literal).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("'" + literal + "'")
                .hasMessageContaining("SNI carries no IP addresses")
                .hasMessageContaining("give a host name or leave it unset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"under_score.example", "-leading.example", "trailing-.example", "two..dots", "",
            "spa ce.example"})
    void malformedServerNameIsRefused(String name) {
        assertThatThrownBy(() -> DtlsConfig.builder().serverName(name).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("is not a DNS host name");
    }

    @Test
    void serverNameWithTrailingDotIsRefusedBecauseSniForbidsIt() {
        assertThatThrownBy(() -> DtlsConfig.builder().serverName("device.example.com.").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("trailing dot")
                .hasMessageContaining("device.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "device.example.com", "xn--bcher-kva.example", "a1.b2.c3"})
    void hostNamesAreAcceptedAsServerName(String name) {
        assertThat(DtlsConfig.builder().serverName(name).build().serverName()).contains(name);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -2, 256, Integer.MIN_VALUE})
    void connectionIdLengthOutOfRangeIsRefused(int length) {
        assertThatThrownBy(() -> DtlsConfig.builder().connectionIdLength(length).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("connection ID length " + length)
                .hasMessageContaining("0..255");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 255})
    void connectionIdLengthWithinRangeIsAccepted(int length) {
        assertThat(DtlsConfig.builder().connectionIdLength(length).build().connectionIdLength()).hasValue(length);
    }

    @Test
    void pskWithoutPskSuiteIsRefusedNamingOne() {
        assertThatThrownBy(() -> DtlsConfig.builder().preSharedKey(PSK)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no PSK cipher suite")
                .hasMessageContaining("TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256");
        assertThatThrownBy(() -> DtlsConfig.builder().pskKeyStore(id -> Optional.empty())
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build())
                .as("a server-side PSK store needs PSK suites too")
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no PSK cipher suite");
    }

    @Test
    void pskSuitesWithoutPskAreRefusedNamingTheSetters() {
        assertThatThrownBy(() -> DtlsConfig.builder().cipherSuites("TLS_PSK_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("only PSK cipher suites")
                .hasMessageContaining("preSharedKey(...)")
                .hasMessageContaining("pskKeyStore(...)");
    }

    @Test
    void rsaCredentialsWithEcdsaOnlySuitesAreRefusedNamingAnRsaSuite() {
        assertThatThrownBy(() -> DtlsConfig.builder().credentials(rsaCredentials)
                .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("RSA key")
                .hasMessageContaining("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void ecCredentialsWithRsaOnlySuitesAreRefusedNamingAnEcdsaSuite() {
        assertThatThrownBy(() -> DtlsConfig.builder().credentials(ecCredentials)
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("EC key")
                .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void credentialsOfEitherKindWorkWithTheDefaultSuites() {
        assertThat(DtlsConfig.builder().credentials(ecCredentials).build().credentials()).contains(ecCredentials);
        assertThat(DtlsConfig.builder().credentials(rsaCredentials).build().credentials()).contains(rsaCredentials);
    }

    @Test
    void ed25519CredentialsWorkWithTheEcdsaSuites() {
        // RFC 8422 section 5.1.1: EdDSA certificates authenticate the ECDHE_ECDSA suites.
        KeyPair ed = TestPki.ed25519KeyPair();
        Credentials credentials = Credentials.of(ed.getPrivate(), TestPki.selfSigned(ed, "ed.example", "Ed25519"));

        assertThatCode(() -> DtlsConfig.builder().credentials(credentials).build())
                .as("Ed25519 credentials with the default (ECDSA) suites").doesNotThrowAnyException();
        assertThatThrownBy(() -> DtlsConfig.builder().credentials(credentials)
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build())
                .as("Ed25519 credentials with RSA suites only")
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    // ---- PSK defaults --------------------------------------------------------------

    @Test
    void clientPskAddsThePskSuitesToTheDefaults() {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2).preSharedKey(PSK).build();

        assertThat(config.cipherSuites()).as("defaults with a PSK")
                .startsWith(DtlsConfig.DEFAULT_CIPHER_SUITES.toArray(String[]::new))
                .endsWith(DtlsConfig.DEFAULT_PSK_CIPHER_SUITES.toArray(String[]::new))
                .hasSize(DtlsConfig.DEFAULT_CIPHER_SUITES.size() + DtlsConfig.DEFAULT_PSK_CIPHER_SUITES.size());
        assertThat(ConfigFacts.hasPskSuites(config)).isTrue();
    }

    @Test
    void serverPskKeyStoreAddsThePskSuitesToTheDefaults() {
        DtlsConfig config = DtlsConfig.builder().pskKeyStore(id -> Optional.empty()).pskIdentityHint("hint").build();

        assertThat(config.cipherSuites()).as("defaults with a PSK key store")
                .containsAll(DtlsConfig.DEFAULT_PSK_CIPHER_SUITES);
        assertThat(config.pskIdentityHint()).contains("hint");
    }

    @Test
    void explicitSuitesAreKeptWhenPskIsConfigured() {
        DtlsConfig config = DtlsConfig.builder().preSharedKey(PSK)
                .cipherSuites("TLS_PSK_WITH_AES_128_GCM_SHA256").build();

        assertThat(config.cipherSuites()).containsExactly("TLS_PSK_WITH_AES_128_GCM_SHA256");
        assertThat(ConfigFacts.hasCertificateSuites(config)).isFalse();
    }

    // ---- toBuilder and immutability ------------------------------------------------

    @Test
    void toBuilderRoundTripsEveryField() {
        CertificateVerifier verifier = (chain, role) -> { };
        CookieAuthority cookies = CookieAuthority.hmacSha256();
        PskKeyStore store = id -> Optional.of(new byte[] {1});
        DtlsConfig original = DtlsConfig.builder()
                .protocolVersions(ProtocolVersion.DTLS_1_3)
                .cipherSuites("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")
                .credentials(ecCredentials)
                .trustedCertificates(ecCredentials.certificateChain())
                .trustedRawPublicKeys(ecCredentials.publicKey())
                .rawPublicKeyTrust((key, role) -> false)
                .peerVerification(PeerVerification.OPTIONAL)
                .certificateVerifier(verifier)
                .cookieAuthority(cookies)
                .retransmission(Duration.ofMillis(500), Duration.ofSeconds(8))
                .handshakeTimeout(Duration.ofSeconds(20))
                .maxDatagramSize(1200)
                .applicationProtocols("coap", "h3")
                .serverName("device.example.com")
                .hostnameVerification(false)
                .preSharedKey(PSK)
                .pskKeyStore(store)
                .pskIdentityHint("hint")
                .heartbeat(true)
                .connectionIdLength(8)
                .srtpProfiles("SRTP_AES128_CM_SHA1_80")
                .build();
        DtlsConfig defaults = DtlsConfig.builder().build();

        DtlsConfig copy = original.toBuilder().build();

        accessors().forEach((name, accessor) -> {
            assertThat(accessor.apply(original)).as("%s is set to a non-default value in this test", name)
                    .isNotEqualTo(accessor.apply(defaults));
            assertThat(accessor.apply(copy)).as("%s survives toBuilder().build()", name)
                    .isEqualTo(accessor.apply(original));
        });
    }

    @Test
    void toBuilderOfDefaultsLetsPskSwitchTheDefaultSuites() {
        DtlsConfig plain = DtlsConfig.builder().build();

        DtlsConfig withPsk = plain.toBuilder().preSharedKey(PSK).build();

        assertThat(withPsk.cipherSuites()).as("suites left at their default follow the PSK setting")
                .containsAll(DtlsConfig.DEFAULT_PSK_CIPHER_SUITES);
    }

    @Test
    void toBuilderChangesDoNotTouchTheOriginal() {
        DtlsConfig original = DtlsConfig.builder().applicationProtocols("coap").build();

        original.toBuilder().applicationProtocols("h3").maxDatagramSize(500).build();

        assertThat(original.applicationProtocols()).containsExactly("coap");
        assertThat(original.maxDatagramSize()).isEqualTo(1400);
    }

    @Test
    void builderChangesAfterBuildDoNotTouchTheBuiltConfig() {
        DtlsConfig.Builder builder = DtlsConfig.builder().maxDatagramSize(1000);
        DtlsConfig first = builder.build();

        DtlsConfig second = builder.maxDatagramSize(900).build();

        assertThat(first.maxDatagramSize()).as("first build").isEqualTo(1000);
        assertThat(second.maxDatagramSize()).as("second build").isEqualTo(900);
    }

    @Test
    void collectionsAreUnmodifiable() {
        DtlsConfig config = DtlsConfig.builder().applicationProtocols("coap").srtpProfiles("SRTP_AES128_CM_SHA1_80")
                .trustedCertificates(ecCredentials.certificateChain()).build();

        assertThatThrownBy(() -> config.cipherSuites().add("TLS_X")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.protocolVersions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.applicationProtocols().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.srtpProfiles().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.trustedCertificates().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void trustedCertificatesAreReadFromAPemFileInOrder(@TempDir Path dir) throws Exception {
        TestPki.Issued a = TestPki.ca("Anchor A");
        TestPki.Issued b = TestPki.ca("Anchor B");
        Path file = dir.resolve("anchors.pem");
        Files.writeString(file, TestPki.pem("CERTIFICATE", a.certificate().getEncoded())
                + TestPki.pem("CERTIFICATE", b.certificate().getEncoded()));

        DtlsConfig config = DtlsConfig.builder().trustedCertificates(file).build();

        assertThat(config.trustedCertificates()).containsExactly(a.certificate(), b.certificate());
    }

    @Test
    void missingTrustFileIsRefusedNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-anchors.pem");

        assertThatThrownBy(() -> DtlsConfig.builder().trustedCertificates(missing))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining(missing.toString());
    }

    private static Map<String, Function<DtlsConfig, Object>> accessors() {
        Map<String, Function<DtlsConfig, Object>> m = new LinkedHashMap<>();
        m.put("protocolVersions", DtlsConfig::protocolVersions);
        m.put("protocolVersionsExplicit", DtlsConfig::protocolVersionsExplicit);
        m.put("cipherSuites", DtlsConfig::cipherSuites);
        m.put("credentials", DtlsConfig::credentials);
        m.put("trustedCertificates", DtlsConfig::trustedCertificates);
        m.put("trustedRawPublicKeys", DtlsConfig::trustedRawPublicKeys);
        m.put("rawPublicKeyTrust", DtlsConfig::rawPublicKeyTrust);
        m.put("peerVerification(CLIENT)", c -> ConfigFacts.peerVerification(c, DtlsRole.CLIENT));
        m.put("peerVerification(SERVER)", c -> ConfigFacts.peerVerification(c, DtlsRole.SERVER));
        m.put("certificateVerifier", DtlsConfig::certificateVerifier);
        m.put("cookieAuthority", DtlsConfig::cookieAuthority);
        m.put("initialRetransmitTimeout", DtlsConfig::initialRetransmitTimeout);
        m.put("maxRetransmitTimeout", DtlsConfig::maxRetransmitTimeout);
        m.put("handshakeTimeout", DtlsConfig::handshakeTimeout);
        m.put("maxDatagramSize", DtlsConfig::maxDatagramSize);
        m.put("applicationProtocols", DtlsConfig::applicationProtocols);
        m.put("serverName", DtlsConfig::serverName);
        m.put("hostnameVerification", DtlsConfig::hostnameVerification);
        m.put("preSharedKey", DtlsConfig::preSharedKey);
        m.put("pskKeyStore", DtlsConfig::pskKeyStore);
        m.put("pskIdentityHint", DtlsConfig::pskIdentityHint);
        m.put("heartbeat", DtlsConfig::heartbeat);
        m.put("connectionIdLength", DtlsConfig::connectionIdLength);
        m.put("srtpProfiles", DtlsConfig::srtpProfiles);
        return m;
    }
}
