package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against the providers in {@code src/test/resources/META-INF/services}. */
class DtlsTest {

    private static final String SERVICES = "META-INF/services/" + DtlsProvider.class.getName();

    @BeforeEach
    @AfterEach
    void forgetDiscovery() {
        Dtls.reload();
    }

    // ---- discovery ---------------------------------------------------------------------

    @Test
    void providersListsEveryLoadableProviderBestFirst() {
        assertThat(Dtls.providers()).extracting(DtlsProvider::name)
                .as("registered providers by priority, the broken entries skipped")
                .containsExactly("gamma", "beta", "alpha");
    }

    @Test
    void aProviderHasNoNotesUnlessItSaysSo() {
        assertThat(new TestProviders.Alpha().notes()).as("DtlsProvider.notes() by default").isEmpty();
    }

    @Test
    void brokenProviderEntriesAreReportedInErrorMessages() {
        assertThatThrownBy(() -> Dtls.provider("nope"))
                .hasMessageContaining("Providers that failed to load")
                .hasMessageContaining("TestProviders$Broken")
                .hasMessageContaining("org.dtls4j.NoSuchProvider");
    }

    @Test
    void providersListIsUnmodifiable() {
        assertThatThrownBy(() -> Dtls.providers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void discoveryHappensOnceUntilReload() {
        DtlsProvider first = Dtls.provider("alpha");

        assertThat(Dtls.provider("alpha")).as("the same instance until reload()").isSameAs(first);
        Dtls.reload();
        assertThat(Dtls.provider("alpha")).as("a fresh instance after reload()").isNotSameAs(first);
    }

    // ---- explicit selection ------------------------------------------------------------

    @Test
    void providerIsFoundByName() {
        assertThat(Dtls.provider("beta")).isInstanceOf(TestProviders.Beta.class);
    }

    @Test
    void providerNameIsCaseInsensitiveAndTrimmed() {
        assertThat(Dtls.provider("BETA")).as("upper case").isInstanceOf(TestProviders.Beta.class);
        assertThat(Dtls.provider(" Beta ")).as("mixed case with spaces").isInstanceOf(TestProviders.Beta.class);
    }

    @Test
    void unknownProviderIsRefusedListingEveryProviderAndWhyGammaIsUnavailable() {
        assertThatThrownBy(() -> Dtls.provider("nope"))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no DTLS provider named 'nope'")
                .hasMessageContaining("Providers found: [gamma (unavailable: " + TestProviders.GAMMA_REASON + "), beta, alpha]");
    }

    @Test
    void unavailableProviderIsRefusedWithItsReason() {
        assertThatThrownBy(() -> Dtls.provider("gamma"))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("DTLS provider 'gamma' is unavailable: " + TestProviders.GAMMA_REASON)
                .hasMessageContaining("beta")
                .hasMessageContaining("alpha");
    }

    // ---- default selection -------------------------------------------------------------

    @Test
    void defaultSkipsTheUnavailableProviderAndPicksTheBestAvailable() {
        assertThat(Dtls.select(null, null).name()).as("gamma has the top priority but is unavailable")
                .isEqualTo("beta");
        assertThat(Dtls.select("  ", "").name()).as("blank settings count as unset").isEqualTo("beta");
    }

    @Test
    void selectPrefersTheSystemPropertyOverTheEnvironment() {
        assertThat(Dtls.select("alpha", "beta").name()).isEqualTo("alpha");
    }

    @Test
    void selectUsesTheEnvironmentWhenThePropertyIsUnset() {
        assertThat(Dtls.select(null, "alpha").name()).isEqualTo("alpha");
        assertThat(Dtls.select("", "ALPHA").name()).isEqualTo("alpha");
    }

    @Test
    void explicitlySelectedProviderNeverFallsBack() {
        assertThatThrownBy(() -> Dtls.select("gamma", null))
                .as("an unavailable provider named by the property")
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining(TestProviders.GAMMA_REASON);
        assertThatThrownBy(() -> Dtls.select(null, "nope"))
                .as("an unknown provider named by the environment")
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no DTLS provider named 'nope'");
    }

    @Test
    void defaultProviderReadsTheSystemProperty() {
        String before = System.getProperty(Dtls.PROVIDER_PROPERTY);
        System.setProperty(Dtls.PROVIDER_PROPERTY, "alpha");
        try {
            assertThat(Dtls.defaultProvider().name()).isEqualTo("alpha");
            assertThat(Dtls.newContext(DtlsConfig.builder().build()).providerName())
                    .as("newContext(config) uses the default provider").isEqualTo("alpha");
        } finally {
            if (before == null) {
                System.clearProperty(Dtls.PROVIDER_PROPERTY);
            } else {
                System.setProperty(Dtls.PROVIDER_PROPERTY, before);
            }
        }
    }

    @Test
    void noAvailableProviderIsRefusedNamingTheUnavailableOnesAndAProviderJar(@TempDir Path dir) throws Exception {
        withServices(dir, List.of(TestProviders.Gamma.class.getName()), () ->
                assertThatThrownBy(() -> Dtls.select(null, null))
                        .isInstanceOf(DtlsConfigurationException.class)
                        .hasMessageContaining("no DTLS provider is available")
                        .hasMessageContaining("gamma (unavailable: " + TestProviders.GAMMA_REASON + ")")
                        .hasMessageContaining("dtls4j-provider-jsse"));
    }

    @Test
    void noProviderAtAllIsReportedAsNone(@TempDir Path dir) throws Exception {
        withServices(dir, List.of(), () -> {
            assertThat(Dtls.providers()).isEmpty();
            assertThatThrownBy(() -> Dtls.select(null, null))
                    .isInstanceOf(DtlsConfigurationException.class)
                    .hasMessageContaining("Providers found: none");
        });
    }

    // ---- contexts ----------------------------------------------------------------------

    @Test
    void newContextComesFromTheNamedProviderWithTheConfig() {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2).applicationProtocols("coap").build();

        DtlsContext context = Dtls.newContext("beta", config);

        assertThat(context.providerName()).isEqualTo("beta");
        assertThat(context.config()).isSameAs(config);
    }

    @Test
    void aContextReportsDefaultVersionsNarrowedToWhatItsProviderSpeaks() {
        DtlsConfig config = DtlsConfig.builder().applicationProtocols("coap").build();

        DtlsContext context = Dtls.newContext("beta", config);

        assertThat(context.config().protocolVersions()).as("beta does not declare DTLS_1_3")
                .containsExactly(ProtocolVersion.DTLS_1_2);
        assertThat(context.config().cipherSuites()).isEqualTo(DtlsConfig.DEFAULT_CIPHER_SUITES);
        assertThat(context.config().applicationProtocols()).containsExactly("coap");
    }

    @Test
    void newContextRefusesACapabilityTheProviderDoesNotDeclare() {
        DtlsConfig config = DtlsConfig.builder().applicationProtocols("coap").build();

        assertThatThrownBy(() -> Dtls.newContext("alpha", config))
                .isInstanceOfSatisfying(DtlsUnsupportedCapabilityException.class, e -> {
                    assertThat(e.capability()).as("missing capability").isEqualTo(Capability.ALPN);
                    assertThat(e.provider()).as("provider").isEqualTo("alpha");
                })
                .hasMessageContaining("provider 'alpha' does not support ALPN")
                .hasMessageContaining("applicationProtocols are configured")
                .hasMessageContaining("Dtls.providers()");
    }

    @Test
    void newContextFromAnUnknownProviderIsRefused() {
        assertThatThrownBy(() -> Dtls.newContext("nope", DtlsConfig.builder().build()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("no DTLS provider named 'nope'");
    }

    /**
     * Runs {@code body} with a context class loader whose only registration file lists
     * {@code providerClasses}.
     */
    private static void withServices(Path dir, List<String> providerClasses, Runnable body) throws IOException {
        Path file = dir.resolve(SERVICES);
        Files.createDirectories(file.getParent());
        Files.write(file, providerClasses);
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader only = new URLClassLoader(new URL[] {dir.toUri().toURL()}, DtlsTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                // the parent's registrations are hidden; classes still load through it
                return name.equals(SERVICES) ? findResources(name) : super.getResources(name);
            }
        }) {
            thread.setContextClassLoader(only);
            Dtls.reload();
            body.run();
        } finally {
            thread.setContextClassLoader(original);
            Dtls.reload();
        }
    }
}
