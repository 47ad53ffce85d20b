package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.spi.Availability;
import org.junit.jupiter.api.Test;

class OpenSslLibraryTest {

    @Test
    void theInstalledLibraryLoads() {
        assertThat(new OpenSslProvider().availability().isAvailable())
                .as("libssl.so.3 is installed on every build machine: %s", new OpenSslProvider().availability())
                .isTrue();
    }

    @Test
    void aMissingLibraryMakesTheProviderUnavailableWithTheReason() {
        OpenSslProvider p = new OpenSslProvider("/nonexistent/dtls4j/libssl.so.3");
        Availability a = p.availability();
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).get().asString().contains("/nonexistent/dtls4j/libssl.so.3")
                .contains(OpenSslLibrary.PROPERTY);
        assertThat(a.cause()).isPresent();
        assertThat(p.availability()).as("the outcome is captured once").isSameAs(a);
        assertThat(p.name()).isEqualTo("openssl");
        assertThat(p.capabilities()).as("capabilities stay constant").isEqualTo(new OpenSslProvider().capabilities());
        assertThatThrownBy(() -> p.newContext(DtlsConfig.builder().build()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("unavailable");
    }

    @Test
    void theSystemPropertyNamesTheLibrary() {
        String old = System.getProperty(OpenSslLibrary.PROPERTY);
        System.setProperty(OpenSslLibrary.PROPERTY, "/nonexistent/by-property/libssl.so.3");
        try {
            OpenSslProvider p = new OpenSslProvider();
            assertThat(p.availability().isAvailable()).isFalse();
            assertThat(p.availability().reason()).get().asString().contains("/nonexistent/by-property/libssl.so.3");
        } finally {
            if (old == null) {
                System.clearProperty(OpenSslLibrary.PROPERTY);
            } else {
                System.setProperty(OpenSslLibrary.PROPERTY, old);
            }
        }
        assertThat(new OpenSslProvider().availability().isAvailable()).as("the default is untouched").isTrue();
    }

    @Test
    void aLibraryThatIsNotLibsslIsRefused() {
        Availability a = new OpenSslProvider("libz.so.1").availability();
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).get().asString().contains("libz.so.1");
    }
}
