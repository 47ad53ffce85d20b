package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SrtpProfilesTest {

    @Test
    void namesAndIanaValuesGoBothWays() {
        assertThat(SrtpProfiles.id("SRTP_AES128_CM_SHA1_80")).hasValue(0x0001);
        assertThat(SrtpProfiles.id("SRTP_AES128_CM_SHA1_32")).hasValue(0x0002);
        assertThat(SrtpProfiles.id("SRTP_AEAD_AES_128_GCM")).hasValue(0x0007);
        assertThat(SrtpProfiles.id("SRTP_AEAD_AES_256_GCM")).hasValue(0x0008);
        for (String name : SrtpProfiles.names()) {
            assertThat(SrtpProfiles.name(SrtpProfiles.id(name).getAsInt())).hasValue(name);
        }
    }

    @Test
    void unknownNamesAndValuesAreEmpty() {
        assertThat(SrtpProfiles.id("SRTP_NULL_SHA1_80")).isEmpty();
        assertThat(SrtpProfiles.name(0x0005)).as("NULL_HMAC_SHA1_80: no encryption").isEmpty();
        assertThat(SrtpProfiles.name(0)).isEmpty();
    }
}
