package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.dtls4j.Capability;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.Test;

class JsseProviderTest {

    private static final DtlsSessionListener IGNORE = new DtlsSessionListener() {
        @Override
        public void onDatagram(java.nio.ByteBuffer datagram) {
        }

        @Override
        public void onRecord(java.nio.ByteBuffer record) {
        }
    };

    private final JsseProvider provider = new JsseProvider();

    @Test
    void serviceLoaderFindsItByName() {
        DtlsProvider found = Dtls.provider("jsse");
        assertThat(found).isInstanceOf(JsseProvider.class);
        assertThat(found.name()).isEqualTo("jsse");
        assertThat(found.priority()).isEqualTo(100);
        assertThat(found.availability().isAvailable()).as(found.availability().toString()).isTrue();
        assertThat(found.availability().reason()).isEmpty();
    }

    @Test
    void itDeclaresAlpnAndSniAndDtls10OnlyWhereTheJdkAllowsIt() {
        assertThat(provider.capabilities()).contains(Capability.ALPN, Capability.SNI)
                .doesNotContain(Capability.PSK, Capability.CONNECTION_ID, Capability.SRTP, Capability.HEARTBEAT,
                        Capability.RAW_PUBLIC_KEY, Capability.KEYING_MATERIAL_EXPORTER, Capability.DTLS_1_3);
        String disabled = java.security.Security.getProperty("jdk.tls.disabledAlgorithms");
        boolean dtls10Disabled = disabled != null && java.util.Arrays.stream(disabled.split(","))
                .anyMatch(s -> s.trim().equalsIgnoreCase("DTLSv1.0"));
        assertThat(provider.capabilities().contains(Capability.DTLS_1_0)).isEqualTo(!dtls10Disabled);
        assertThat(provider.capabilities()).isSameAs(provider.capabilities());
    }

    @Test
    void itDeclaresResumptionWhereJsseChecksCookiesOnResumption() {
        // This JDK (17.0.15) has jdk.tls.enableDtlsResumeCookie, and the build leaves it at true.
        assertThat(JsseProvider.resumes()).isTrue();
        assertThat(provider.capabilities()).contains(Capability.SESSION_RESUMPTION);
        assertThat(provider.notes()).as("resumption is on: no fallback to tell").isEmpty();
    }

    @Test
    void aConfigurationNeedingAnUndeclaredCapabilityIsRefusedNamingBoth() {
        DtlsConfig psk = DtlsConfig.builder().preSharedKey(PreSharedKey.ofHex("id", "0102")).build();
        assertThatThrownBy(() -> provider.newContext(psk)).isInstanceOfSatisfying(DtlsUnsupportedCapabilityException.class,
                e -> {
                    assertThat(e.capability()).isEqualTo(Capability.PSK);
                    assertThat(e.provider()).isEqualTo("jsse");
                });
        DtlsConfig cid = DtlsConfig.builder().connectionIdLength(4).build();
        assertThatThrownBy(() -> provider.newContext(cid)).isInstanceOf(DtlsUnsupportedCapabilityException.class);
        if (!provider.capabilities().contains(Capability.DTLS_1_0)) {
            DtlsConfig v10 = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2)
                    .build();
            assertThatThrownBy(() -> provider.newContext(v10)).isInstanceOfSatisfying(
                    DtlsUnsupportedCapabilityException.class,
                    e -> assertThat(e.capability()).isEqualTo(Capability.DTLS_1_0));
        }
    }

    @Test
    void aConfigurationWithNoSuiteJsseImplementsIsRefusedNamingTheFix() {
        DtlsConfig ccm = DtlsConfig.builder().cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_CCM").build();
        assertThatThrownBy(() -> provider.newContext(ccm)).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_CCM")
                .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .hasMessageContaining("cipherSuites(");
    }

    @Test
    void unsupportedSuitesAreLeftOutAndTheRestKeepTheirOrder() {
        DtlsConfig mixed = DtlsConfig.builder().cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build();
        try (JsseContext c = (JsseContext) provider.newContext(mixed)) {
            assertThat(c.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void aServerSessionNeedsCredentials() {
        try (DtlsContext c = provider.newContext(DtlsConfig.builder().build())) {
            assertThat(c.providerName()).isEqualTo("jsse");
            assertThatThrownBy(() -> c.newServerSession(new InetSocketAddress("127.0.0.1", 1), IGNORE))
                    .isInstanceOf(DtlsConfigurationException.class)
                    .hasMessageStartingWith("a server needs credentials: call DtlsConfig.Builder.credentials(...)");
            assertThat(c.newClientSession(new InetSocketAddress("127.0.0.1", 1), IGNORE)).isNotNull();
        }
    }

    @Test
    void aClosedContextMakesNoSessions() {
        DtlsConfig config = Configs.server().build();
        DtlsContext c = provider.newContext(config);
        assertThat(c.config().protocolVersions()).as("the default versions narrowed to what JSSE speaks")
                .containsExactly(ProtocolVersion.DTLS_1_2);
        c.close();
        c.close();
        assertThatThrownBy(() -> c.newServerSession(new InetSocketAddress("127.0.0.1", 1), IGNORE))
                .isInstanceOf(IllegalStateException.class);
    }
}
