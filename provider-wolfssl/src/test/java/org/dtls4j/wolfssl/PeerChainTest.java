package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateException;
import java.util.List;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * The shared validator sees every peer chain, also after wolfSSL has learnt a CA from an
 * earlier chain: wolfSSL adds each intermediate a verify callback accepts to the context's
 * certificate manager, and a leaf signed by it would then verify without the callback.
 */
@NeedsWolfSsl
class PeerChainTest {

    private static DtlsSessionState handshake(DtlsContext client, DtlsContext server) {
        try (InMemoryHandshake h = InMemoryHandshake.run(client, server)) {
            return h.client().state();
        }
    }

    @Test
    void aLeafWithoutItsCaAfterAChainWithItIsStillJudgedByTheValidator() {
        Credentials full = TckPki.get().ecServer(); // leaf and CA
        Credentials leafOnly = Credentials.of(full.privateKey(), List.of(full.certificateChain().get(0)));
        // The veto: only chains of two certificates are accepted.
        try (DtlsContext client = new WolfSslProvider().newContext(TckPki.get().clientConfig()
                     .certificateVerifier((chain, role) -> {
                         if (chain.size() != 2) {
                             throw new CertificateException("a chain of " + chain.size());
                         }
                     }).build());
             DtlsContext fullServer = new WolfSslProvider().newContext(TckPki.get().serverConfig().credentials(full).build());
             DtlsContext leafServer = new WolfSslProvider().newContext(TckPki.get().serverConfig().credentials(leafOnly).build())) {
            assertThat(handshake(client, fullServer)).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(handshake(client, leafServer)).as("the veto must see the one-certificate chain")
                    .isEqualTo(DtlsSessionState.FAILED);
            assertThat(handshake(client, fullServer)).isEqualTo(DtlsSessionState.ESTABLISHED);
        }
    }
}
