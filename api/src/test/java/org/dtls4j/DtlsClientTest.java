package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DtlsClientTest {

    @Test
    void aNullLocalAddressIsRefusedAtOnce() {
        DtlsContext context = new TestProviders.StubContext("stub", DtlsConfig.builder().build());
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 4433);
        assertThatThrownBy(() -> DtlsClient.connect(context, server, null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("local");
    }
}
