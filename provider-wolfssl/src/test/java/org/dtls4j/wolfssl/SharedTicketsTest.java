package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.PeerVerification;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.SharedKeys;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared session tickets keep what {@link ServerSessions} exists for: a node that shares the
 * ticket keys but requires client certificates does not resume a session made at a node that
 * did not ask for one (the ticket's MAC covers the requirements, {@link SharedTickets#binding});
 * a node with the same requirements does, which shows the refusal is the binding's.
 */
@NeedsWolfSsl
class SharedTicketsTest {

    private static final long SEED = 20261206L;

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"DTLS_1_2", "DTLS_1_3"})
    void aTicketOfANodeThatAskedLessDoesNotResumeAtOneThatRequiresClientCertificates(ProtocolVersion version) {
        byte[] secret = new byte[SharedKeys.MIN_SECRET_BYTES];
        new Random(SEED).nextBytes(secret);
        SharedKeys keys = SharedKeys.of(secret);
        WolfSslProvider provider = new WolfSslProvider();
        DtlsConfig lenient = TckPki.get().serverConfig().protocolVersions(version).sessionTicketKeys(keys).build();
        DtlsConfig strict = lenient.toBuilder().trustedCertificates(TckPki.get().caCertificate())
                .peerVerification(PeerVerification.REQUIRED).build();
        try (DtlsContext client = provider.newContext(TckPki.get().clientConfig().protocolVersions(version)
                     .credentials(TckPki.get().ecClient()).build());
             DtlsContext nodeA = provider.newContext(lenient);
             DtlsContext sameAsA = provider.newContext(lenient);
             DtlsContext requiresCertificates = provider.newContext(strict)) {
            assertThat(handshake(client, nodeA).resumed()).as("the first handshake is full").isFalse();
            assertThat(handshake(client, sameAsA).resumed()).as("a node with A's keys and requirements resumes").isTrue();
            DtlsSessionInfo atStrict = handshake(client, requiresCertificates);
            assertThat(atStrict.resumed()).as("a node that requires client certificates must not resume A's session")
                    .isFalse();
            assertThat(atStrict.peerCertificates()).as("its full handshake verified the client's chain").isNotEmpty();
        }
    }

    /** A clean in-memory handshake that must complete; the server's info. */
    private static DtlsSessionInfo handshake(DtlsContext client, DtlsContext server) {
        try (InMemoryHandshake h = InMemoryHandshake.run(client, server)) {
            assertThat(h.server().state()).as("the handshake: client %s, server %s", h.clientEvents().failed().getNow(null),
                    h.serverEvents().failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(h.client().state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            DtlsSessionInfo info = h.serverEvents().established().join();
            assertThat(h.clientEvents().established().join().resumed()).as("both ends agree on resumption")
                    .isEqualTo(info.resumed());
            h.client().close();
            h.pump();
            return info;
        }
    }
}
