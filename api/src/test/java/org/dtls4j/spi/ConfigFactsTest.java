package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.PeerVerification;
import org.junit.jupiter.api.Test;

class ConfigFactsTest {

    @Test
    void aConfigAcceptsRawPublicKeysOnlyWhenItListsOneOrHasATrustDecision() throws Exception {
        PublicKey key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
        assertThat(ConfigFacts.acceptsRawPublicKeys(DtlsConfig.builder().build())).as("the default").isFalse();
        assertThat(ConfigFacts.acceptsRawPublicKeys(DtlsConfig.builder().trustedRawPublicKeys(key).build()))
                .as("a listed key").isTrue();
        assertThat(ConfigFacts.acceptsRawPublicKeys(DtlsConfig.builder().rawPublicKeyTrust((k, role) -> true).build()))
                .as("an application decision").isTrue();
    }

    @Test
    void anExplicitPeerVerificationAppliesToBothRoles() {
        DtlsConfig config = DtlsConfig.builder().peerVerification(PeerVerification.OPTIONAL).build();
        assertThat(config.peerVerification()).contains(PeerVerification.OPTIONAL);
        assertThat(ConfigFacts.peerVerification(config, DtlsRole.CLIENT)).isEqualTo(PeerVerification.OPTIONAL);
        assertThat(ConfigFacts.peerVerification(config, DtlsRole.SERVER)).isEqualTo(PeerVerification.OPTIONAL);
    }

    @Test
    void withoutOneEachRoleHasItsDefault() {
        DtlsConfig config = DtlsConfig.builder().build();
        assertThat(config.peerVerification()).isEmpty();
        assertThat(ConfigFacts.peerVerification(config, DtlsRole.CLIENT)).isEqualTo(PeerVerification.REQUIRED);
        assertThat(ConfigFacts.peerVerification(config, DtlsRole.SERVER)).isEqualTo(PeerVerification.NONE);
    }

    @Test
    void clientRequirementsDependOnWhatIsAskedOfAClientNotOnTheOrderOrAnythingElse() throws Exception {
        PublicKey a = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
        PublicKey b = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
        DtlsConfig lenient = DtlsConfig.builder().trustedRawPublicKeys(a, b).peerVerification(PeerVerification.NONE)
                .build();
        byte[] digest = ConfigFacts.clientRequirements(lenient);
        assertThat(digest).as("SHA-256: fits OpenSSL's 32-byte session ID context").hasSize(32);
        assertThat(ConfigFacts.clientRequirements(lenient.toBuilder().trustedRawPublicKeys(b, a).build()))
                .as("the order of the trusted keys").isEqualTo(digest);
        assertThat(ConfigFacts.clientRequirements(lenient.toBuilder().maxDatagramSize(1000).build()))
                .as("a setting that asks nothing of the client").isEqualTo(digest);
        assertThat(ConfigFacts.clientRequirements(lenient.toBuilder().peerVerification(PeerVerification.REQUIRED).build()))
                .as("another verification mode").isNotEqualTo(digest);
        assertThat(ConfigFacts.clientRequirements(lenient.toBuilder().trustedRawPublicKeys(a).build()))
                .as("another trusted key set").isNotEqualTo(digest);
        assertThat(ConfigFacts.clientRequirements(lenient.toBuilder().certificateVerifier((chain, role) -> { }).build()))
                .as("a certificate veto").isNotEqualTo(digest);
    }
}
