package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * A server context resumes only DTLS 1.2 sessions it made itself ({@link ServerSessions}), and
 * answers a session of another context with a full handshake: wolfSSL's session cache is one
 * for the whole process and matches a session ID to nothing but the protocol version, so
 * without the check a session made with one context resumes on another.
 */
@NeedsWolfSsl
class CrossContextResumptionTest {

    @Test
    void aSessionOfOneServerContextDoesNotResumeOnAnother() {
        WolfSslProvider provider = new WolfSslProvider();
        DtlsConfig serverConfig = TckPki.get().serverConfig().build();
        try (DtlsContext client = provider.newContext(TckPki.get().clientConfig().build());
             DtlsContext first = provider.newContext(serverConfig);
             DtlsContext second = provider.newContext(serverConfig)) {
            try (InMemoryHandshake full = InMemoryHandshake.run(client, first)) {
                assertThat(full.client().state()).as("the first handshake: %s", full.clientEvents().failed().getNow(null))
                        .isEqualTo(DtlsSessionState.ESTABLISHED);
            }
            try (InMemoryHandshake other = InMemoryHandshake.run(client, second)) { // the client offers the first session
                assertThat(other.server().state()).as("a full handshake with the other context: %s",
                        other.serverEvents().failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
                assertThat(other.serverEvents().established().join().resumed())
                        .as("the other context's server must not resume the first session").isFalse();
                assertThat(other.clientEvents().established().join().resumed()).isFalse();
            }
        }
    }
}
