package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolVersionTest {

    @Test
    void standardNamesAndEnumNamesAreFoundIgnoringCase() {
        for (ProtocolVersion v : ProtocolVersion.values()) {
            assertThat(ProtocolVersion.of(v.standardName())).as("of(\"%s\")", v.standardName()).isEqualTo(v);
            assertThat(ProtocolVersion.of(v.name())).as("of(\"%s\")", v.name()).isEqualTo(v);
            assertThat(ProtocolVersion.of(v.standardName().toLowerCase(java.util.Locale.ROOT))).as("lower case").isEqualTo(v);
        }
    }

    @Test
    void wireVersionsAreTheRfcEncodings() {
        assertThat(ProtocolVersion.DTLS_1_0.wireVersion()).isEqualTo(0xfeff);
        assertThat(ProtocolVersion.DTLS_1_2.wireVersion()).isEqualTo(0xfefd);
        assertThat(ProtocolVersion.DTLS_1_3.wireVersion()).isEqualTo(0xfefc);
        assertThat(ProtocolVersion.DTLS_1_2.standardName()).isEqualTo("DTLSv1.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "DTLSv1.1", "1.2", ""})
    void unknownVersionIsRefusedListingTheKnownOnes(String name) {
        assertThatThrownBy(() -> ProtocolVersion.of(name))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("unknown DTLS protocol version '" + name + "'")
                .hasMessageContaining("DTLSv1.0, DTLSv1.2, DTLSv1.3");
    }
}
