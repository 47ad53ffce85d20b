package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.PeerVerification;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * A client forgets the session that a failed handshake offered ({@link ClientSessions#forget}),
 * so a session that one server refuses costs one handshake, never every later one with that
 * server address: the next handshake is a full one. DTLS 1.3 only (tickets): in DTLS 1.2 the
 * refusing server context drops the offered session ID from wolfSSL's process-wide cache
 * ({@link ServerSessions#forgetUnlessIssued}), which makes the next handshake full whatever the
 * client keeps, so a 1.2 run could not fail.
 */
@NeedsWolfSsl
class FailedResumptionTest {

    @Test
    void theNextHandshakeAfterAFailedOneThatOfferedASessionIsFull() {
        ProtocolVersion version = ProtocolVersion.DTLS_1_3;
        WolfSslProvider provider = new WolfSslProvider();
        try (DtlsContext client = provider.newContext(TckPki.get().clientConfig().protocolVersions(version).build());
             DtlsContext server = provider.newContext(TckPki.get().serverConfig().protocolVersions(version).build());
             DtlsContext strict = provider.newContext(TckPki.get().serverConfig().protocolVersions(version)
                     .peerVerification(PeerVerification.REQUIRED).build())) {
            try (InMemoryHandshake full = InMemoryHandshake.run(client, server)) {
                full.clientSends(new byte[] {1}); // in DTLS 1.3 the ticket comes after the handshake
                assertThat(full.serverEvents().records()).as("the first handshake: %s",
                        full.clientEvents().failed().getNow(null)).hasSize(1);
            }
            try (InMemoryHandshake resumed = InMemoryHandshake.run(client, server)) {
                assertThat(resumed.clientEvents().established().join().resumed())
                        .as("the session resumes before any failure").isTrue();
                resumed.clientSends(new byte[] {2});
            }
            // the same address, another server context, which asks for a certificate the client has not got
            try (InMemoryHandshake refused = InMemoryHandshake.run(client, strict)) {
                assertThat(refused.client().state()).as("the client offered its session to a server that refuses it")
                        .isEqualTo(DtlsSessionState.FAILED);
            }
            try (InMemoryHandshake after = InMemoryHandshake.run(client, server)) {
                assertThat(after.client().state()).as("%s", after.clientEvents().failed().getNow(null))
                        .isEqualTo(DtlsSessionState.ESTABLISHED);
                assertThat(after.clientEvents().established().join().resumed())
                        .as("the session the failed handshake offered is forgotten: a full handshake").isFalse();
            }
        }
    }
}
