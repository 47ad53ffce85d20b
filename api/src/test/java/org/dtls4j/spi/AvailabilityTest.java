package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

    @Test
    void aProbeThatReturnsIsAvailable() {
        assertThat(Availability.probe(() -> { }, e -> "never").isAvailable()).isTrue();
    }

    @Test
    void aProbeThatThrowsIsUnavailableWithItsReasonAndCause() {
        IOException missing = new IOException("libfoo.so not found");
        Availability a = Availability.probe(() -> {
            throw missing;
        }, e -> "cannot load: " + e.getMessage());
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.reason()).contains("cannot load: libfoo.so not found");
        assertThat(a.cause()).containsSame(missing);
    }

    @Test
    void aLinkageErrorIsUnavailableNotThrown() {
        NoClassDefFoundError missingJar = new NoClassDefFoundError("org/example/Backend");
        Availability a = Availability.probe(() -> {
            throw missingJar;
        }, e -> "the jar is missing");
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.cause()).containsSame(missingJar);
    }
}
