package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ResumptionProbeTest {

    @Test
    void thisJdksServerAnswersAResumingClientHelloWithAHelloVerifyRequest() {
        // JDK 17.0.15 has jdk.tls.enableDtlsResumeCookie, and the build leaves it at its default (true).
        ResumptionProbe.Outcome outcome = ResumptionProbe.run();
        assertThat(outcome.resumes()).as("the probe sees JSSE run its cookie exchange on resumption: %s", outcome)
                .isTrue();
        assertThat(outcome.note()).as("nothing to tell a user").isEmpty();
    }

    @Test
    void aProbeThatCannotCompleteItsHandshakeTurnsResumptionOffAndSaysWhy() {
        // a context whose server has no credentials: the probe's handshake fails
        ResumptionProbe.Outcome outcome = ResumptionProbe.run(() -> {
            SSLContext c = SSLContext.getInstance("DTLS");
            c.init(new KeyManager[0], null, null);
            return c;
        });
        assertThat(outcome.resumes()).as("a failed probe never declares resumption").isFalse();
        assertThat(outcome.note()).get().asString().contains("resumption probe failed")
                .contains("SESSION_RESUMPTION is not declared");
    }

    @Test
    void aProbeWithoutAContextSaysWhy() {
        ResumptionProbe.Outcome outcome = ResumptionProbe.run(() -> {
            throw new NoSuchAlgorithmException("no DTLS here (forced)");
        });
        assertThat(outcome.resumes()).isFalse();
        assertThat(outcome.note()).get().asString().contains("no DTLS here (forced)");
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
