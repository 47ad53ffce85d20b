package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapabilitiesTest {

    private static final PreSharedKey PSK = PreSharedKey.ofHex("id", "0011223344556677");
    private static final java.security.KeyPair RAW = org.dtls4j.TestPki.ecKeyPair();

    /** Each setting that needs a capability, with the capability and the words that name the setting. */
    static Stream<Arguments> settings() {
        return Stream.of(
                setting("DTLS 1.0", Capability.DTLS_1_0, "DTLSv1.0",
                        b -> b.protocolVersions(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2)),
                setting("DTLS 1.3", Capability.DTLS_1_3, "DTLSv1.3",
                        b -> b.protocolVersions(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3)),
                setting("client PSK", Capability.PSK, "pre-shared key", b -> b.preSharedKey(PSK)),
                setting("server PSK store", Capability.PSK, "pre-shared key", b -> b.pskKeyStore(id -> Optional.empty())),
                setting("heartbeat", Capability.HEARTBEAT, "heartbeat(true)", b -> b.heartbeat(true)),
                setting("connection ID", Capability.CONNECTION_ID, "connectionIdLength", b -> b.connectionIdLength(4)),
                setting("zero-length connection ID", Capability.CONNECTION_ID, "connectionIdLength",
                        b -> b.connectionIdLength(0)),
                setting("SRTP", Capability.SRTP, "srtpProfiles", b -> b.srtpProfiles("SRTP_AES128_CM_SHA1_80")),
                setting("ALPN", Capability.ALPN, "applicationProtocols", b -> b.applicationProtocols("coap")),
                setting("SNI", Capability.SNI, "serverName", b -> b.serverName("device.example.com")),
                setting("raw key credentials", Capability.RAW_PUBLIC_KEY, "raw public key credentials",
                        b -> b.credentials(org.dtls4j.Credentials.rawPublicKey(RAW))),
                setting("trusted raw keys", Capability.RAW_PUBLIC_KEY, "trustedRawPublicKeys",
                        b -> b.trustedRawPublicKeys(RAW.getPublic())),
                setting("raw key trust", Capability.RAW_PUBLIC_KEY, "rawPublicKeyTrust",
                        b -> b.rawPublicKeyTrust((key, role) -> true)));
    }

    private static Arguments setting(String name, Capability capability, String words,
                                     UnaryOperator<DtlsConfig.Builder> configure) {
        return Arguments.argumentSet(name, capability, words, configure);
    }

    @Test
    void defaultConfigNeedsNoCapability() {
        assertThat(Capabilities.requiredBy(DtlsConfig.builder().build())).as("capabilities the defaults need").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("settings")
    void settingNeedsItsCapabilityAndNothingElse(Capability capability, String words,
                                                 UnaryOperator<DtlsConfig.Builder> configure) {
        Map<Capability, String> required = Capabilities.requiredBy(configure.apply(DtlsConfig.builder()).build());

        assertThat(required).as("capabilities needed").containsOnlyKeys(capability);
        assertThat(required.get(capability)).as("why %s is needed", capability).contains(words);
    }

    @ParameterizedTest
    @MethodSource("settings")
    void providerWithoutTheCapabilityRefusesTheSetting(Capability capability, String words,
                                                       UnaryOperator<DtlsConfig.Builder> configure) {
        DtlsConfig config = configure.apply(DtlsConfig.builder()).build();
        DtlsProvider lacking = provider("lacking", EnumSet.complementOf(EnumSet.of(capability)));

        assertThatThrownBy(() -> Capabilities.requireSupported(lacking, config))
                .isInstanceOfSatisfying(DtlsUnsupportedCapabilityException.class, e -> {
                    assertThat(e.capability()).as("missing capability").isEqualTo(capability);
                    assertThat(e.provider()).as("provider").isEqualTo("lacking");
                })
                .hasMessageContaining("provider 'lacking' does not support " + capability)
                .hasMessageContaining(words)
                .hasMessageContaining("remove that setting");
    }

    @ParameterizedTest
    @MethodSource("settings")
    void providerWithTheCapabilityAcceptsTheSetting(Capability capability, String words,
                                                    UnaryOperator<DtlsConfig.Builder> configure) {
        DtlsConfig config = configure.apply(DtlsConfig.builder()).build();

        assertThatCode(() -> Capabilities.requireSupported(provider("able", EnumSet.of(capability)), config))
                .doesNotThrowAnyException();
    }

    @Test
    void everySettingIsReportedWhenSeveralAreConfigured() {
        DtlsConfig config = DtlsConfig.builder().applicationProtocols("coap").serverName("device.example.com")
                .heartbeat(true).build();

        assertThat(Capabilities.requiredBy(config))
                .containsOnlyKeys(Capability.ALPN, Capability.SNI, Capability.HEARTBEAT);
        assertThatThrownBy(() -> Capabilities.requireSupported(provider("partial", EnumSet.of(Capability.ALPN)), config))
                .isInstanceOf(DtlsUnsupportedCapabilityException.class)
                .as("the first missing one in Capability order")
                .hasMessageContaining("does not support HEARTBEAT");
    }

    @Test
    void pskIdentityHintAloneNeedsNoCapability() {
        // A hint only matters with a PSK store; by itself it asks nothing of the provider.
        assertThat(Capabilities.requiredBy(DtlsConfig.builder().pskIdentityHint("hint").build())).isEmpty();
    }

    private static DtlsProvider provider(String name, Set<Capability> capabilities) {
        return new DtlsProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Availability availability() {
                return Availability.available();
            }

            @Override
            public Set<Capability> capabilities() {
                return capabilities;
            }

            @Override
            public DtlsContext newContext(DtlsConfig config) {
                throw new UnsupportedOperationException("capability tests make no context");
            }
        };
    }

    @Test
    void anUnavailableProviderIsRefusedWithItsReasonBeforeAnyCapabilityCheck() {
        DtlsConfig needsPsk = DtlsConfig.builder()
                .preSharedKey(PreSharedKey.ofHex("id", "00112233445566778899aabbccddeeff")).build();
        assertThatThrownBy(() -> Capabilities.requireUsable(new org.dtls4j.TestProviders.Gamma(), needsPsk))
                .isInstanceOf(org.dtls4j.DtlsConfigurationException.class)
                .isNotInstanceOf(DtlsUnsupportedCapabilityException.class)
                .hasMessageContaining("provider 'gamma' is unavailable")
                .hasMessageContaining("libgamma.so.7 not found");
    }

    @Test
    void anAvailableProviderStillRefusesAnUndeclaredCapability() {
        DtlsConfig needsPsk = DtlsConfig.builder()
                .preSharedKey(PreSharedKey.ofHex("id", "00112233445566778899aabbccddeeff")).build();
        assertThatThrownBy(() -> Capabilities.requireUsable(new org.dtls4j.TestProviders.Alpha(), needsPsk))
                .isInstanceOf(DtlsUnsupportedCapabilityException.class)
                .hasMessageContaining("PSK");
        assertThatCode(() -> Capabilities.requireUsable(new org.dtls4j.TestProviders.Alpha(), DtlsConfig.builder().build()))
                .doesNotThrowAnyException();
    }

    @Test
    void aProviderSpeaksDtls12AndEachVersionItDeclares() {
        assertThat(Capabilities.protocolVersions(provider("plain", EnumSet.noneOf(Capability.class))))
                .as("versions without a version capability").containsExactly(ProtocolVersion.DTLS_1_2);
        assertThat(Capabilities.protocolVersions(provider("old", EnumSet.of(Capability.DTLS_1_0, Capability.PSK))))
                .as("versions with DTLS_1_0").containsExactlyInAnyOrder(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2);
        assertThat(Capabilities.protocolVersions(provider("new", EnumSet.of(Capability.DTLS_1_3))))
                .as("versions with DTLS_1_3").containsExactlyInAnyOrder(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);
    }

    @Test
    void defaultVersionsAreNarrowedToThoseTheProviderSpeaks() {
        DtlsConfig defaults = DtlsConfig.builder().preSharedKey(PreSharedKey.ofHex("id", "00112233445566778899aabbccddeeff")).build();
        DtlsProvider plain = provider("plain", EnumSet.of(Capability.PSK));
        DtlsProvider new13 = provider("new", EnumSet.of(Capability.DTLS_1_3, Capability.PSK));

        DtlsConfig forPlain = Capabilities.requireUsable(plain, defaults);
        assertThat(forPlain.protocolVersions()).as("a provider without DTLS 1.3 runs DTLS 1.2")
                .containsExactly(ProtocolVersion.DTLS_1_2);
        assertThat(forPlain.cipherSuites()).as("and never sees a TLS 1.3 suite")
                .noneMatch(ConfigFacts::isTls13Suite)
                .containsAll(DtlsConfig.DEFAULT_PSK_CIPHER_SUITES);
        assertThat(Capabilities.requireUsable(new13, defaults)).as("a provider with DTLS 1.3 offers both, unchanged")
                .isSameAs(defaults);
    }

    @Test
    void onlyTls13SuitesOnAProviderWithoutDtls13AreRefused() {
        DtlsConfig tls13 = DtlsConfig.builder().cipherSuites("TLS_AES_128_GCM_SHA256").build();
        assertThatThrownBy(() -> Capabilities.requireUsable(provider("plain", EnumSet.noneOf(Capability.class)), tls13))
                .isInstanceOf(DtlsUnsupportedCapabilityException.class)
                .hasMessageContaining("provider 'plain'")
                .hasMessageContaining("only TLS 1.3 cipher suites are configured");
    }

    @Test
    void aVersionTheProviderDoesNotSpeakIsRefusedNamingTheVersionAndTheProvider() {
        DtlsConfig dtls13 = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_3).build();
        DtlsProvider old = provider("old", EnumSet.of(Capability.DTLS_1_0));

        assertThat(Capabilities.protocolVersions(old)).doesNotContain(ProtocolVersion.DTLS_1_3);
        assertThatThrownBy(() -> Capabilities.requireUsable(old, dtls13))
                .isInstanceOf(DtlsUnsupportedCapabilityException.class)
                .hasMessageContaining("provider 'old'")
                .hasMessageContaining("DTLSv1.3");
    }
}
