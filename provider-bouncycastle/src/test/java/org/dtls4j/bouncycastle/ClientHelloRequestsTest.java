package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InaccessibleObjectException;
import org.junit.jupiter.api.Test;

class ClientHelloRequestsTest {

    @Test
    void onTheClassPathRequestsAreMadeAndTheProviderHasNoNote() {
        assertThat(ClientHelloRequests.available()).as("reflection works on the class path").isTrue();
        assertThat(ClientHelloRequests.fallbackNote()).isEmpty();
        assertThat(new BouncyCastleProvider().notes()).isEmpty();
    }

    @Test
    void theFallbackNoteSaysWhoMakesTheCookiesAndHowToAvoidIt() {
        String note = ClientHelloRequests.note(new InaccessibleObjectException("module org.bouncycastle.tls does not open"));
        assertThat(note).contains("DTLSVerifier", "not the configured CookieAuthority",
                "--add-opens org.bouncycastle.tls/org.bouncycastle.tls=org.dtls4j.bouncycastle",
                "does not open");
    }
}
