package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportOptionsTest {

    @Test
    void theDefaultIdleTimeoutIsFiveMinutes() {
        assertThat(TransportOptions.defaults().idleTimeout()).as("idle timeout").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anIdleTimeoutIsKept() {
        TransportOptions o = TransportOptions.builder().idleTimeout(Duration.ofSeconds(30)).build();
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.toString()).contains("idleTimeout=PT30S");
    }

    @Test
    void aNonPositiveIdleTimeoutIsRefusedNamingIt() {
        assertThatThrownBy(() -> TransportOptions.builder().idleTimeout(Duration.ZERO).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("idle timeout must be positive");
        assertThatThrownBy(() -> TransportOptions.builder().idleTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("idle timeout must be positive");
    }
}
