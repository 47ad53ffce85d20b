package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class ResumptionProbeTest {

    @Test
    void thisJdksServerAnswersAResumingClientHelloWithAHelloVerifyRequest() {
        // JDK 17.0.15 has jdk.tls.enableDtlsResumeCookie, and the build leaves it at its default (true).
        assertThat(ResumptionProbe.serverVerifiesCookieOnResumption())
                .as("the probe sees JSSE run its cookie exchange on resumption").isTrue();
    }

    @Test
    void theProbesCertificateIsAValidSelfSignedEcCertificate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        X509Certificate cert = ResumptionProbe.selfSigned(keys);
        cert.verify(keys.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=probe");
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }
}
