package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtls4j.Capability;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PeerVerification;
import org.junit.jupiter.api.Test;

/**
 * Raw public keys (RFC 7250), for providers that declare {@link Capability#RAW_PUBLIC_KEY}:
 * a side with {@code Credentials.rawPublicKey} presents its key alone, no certificate, and
 * the peer accepts it only if the key is one of its {@code trustedRawPublicKeys}. This is
 * how CoAP's RawPublicKey mode authenticates (RFC 7252 section 9.1.3.2).
 *
 * <p>If these fail, check that the client offers the server_certificate_type (and, with raw
 * key credentials, client_certificate_type) extension, that the Certificate message carries
 * the SubjectPublicKeyInfo alone, and that the key is checked with
 * {@code PeerCertificates.validateRawPublicKey} and reported in
 * {@code DtlsSessionInfo.peerRawPublicKey()}.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.RAW_PUBLIC_KEY)
public interface RawPublicKeyContract extends TckTarget {

    /**
     * Checks rule RPK-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RPK-1")
    default void aServerWithARawPublicKeyIsAcceptedByItsKey(TckRun run) {
        TckPki pki = TckPki.get();
        DtlsConfig client = Tck.fast(run).trustedRawPublicKeys(pki.rawServer().publicKey()).build();
        DtlsConfig server = Tck.fast(run).credentials(pki.rawServer()).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            DtlsSessionInfo info = pair.client().established().join();
            assertEquals(pki.rawServer().publicKey(), info.peerRawPublicKey().orElse(null),
                    "the client reports the server's raw public key");
            assertTrue(info.peerCertificates().isEmpty(), "and no certificate: " + info);
            pair.client().send(new byte[] {1});
            Await.next(pair.server().records(), Tck.EVENT, () -> "a record over the raw-key session\n" + pair.describe());
        }
    }

    /**
     * Checks rule RPK-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RPK-2")
    default void bothSidesAuthenticateWithRawPublicKeys(TckRun run) {
        TckPki pki = TckPki.get();
        DtlsConfig client = Tck.fast(run).credentials(pki.rawClient()).trustedRawPublicKeys(pki.rawServer().publicKey())
                .build();
        DtlsConfig server = Tck.fast(run).credentials(pki.rawServer()).trustedRawPublicKeys(pki.rawClient().publicKey())
                .peerVerification(PeerVerification.REQUIRED).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals(pki.rawClient().publicKey(), pair.server().established().join().peerRawPublicKey().orElse(null),
                    "the server reports the client's raw public key");
            assertEquals(pki.rawServer().publicKey(), pair.client().established().join().peerRawPublicKey().orElse(null),
                    "the client reports the server's");
        }
    }

    /**
     * Checks rule RPK-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RPK-3")
    default void aRawPublicKeyTheClientDoesNotTrustFailsTheHandshake(TckRun run) {
        TckPki pki = TckPki.get();
        DtlsConfig client = Tck.fast(run).trustedRawPublicKeys(pki.rawServer().publicKey()).build();
        DtlsConfig server = Tck.fast(run).credentials(pki.rawStranger()).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            DtlsAlertException refused = Tck.failedWithAlert(pair, pair.client(), "the client must refuse an unknown raw key");
            assertEquals(DtlsAlertException.Origin.LOCAL, refused.origin(), "the client refused: " + refused);
            assertTrue(refused.alert().isCertificateAlert(), "a certificate alert, got " + refused.alert());
            DtlsAlertException told = Tck.failedWithAlert(pair, pair.server(), "the server must hear why");
            assertEquals(refused.alert(), told.alert(), "both sides report the same alert");
        }
    }

    /**
     * Checks rule RPK-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RPK-4")
    default void aClientRawPublicKeyTheServerDoesNotTrustFailsTheHandshake(TckRun run) {
        TckPki pki = TckPki.get();
        DtlsConfig client = Tck.fast(run).credentials(pki.rawStranger()).trustedRawPublicKeys(pki.rawServer().publicKey())
                .build();
        DtlsConfig server = Tck.fast(run).credentials(pki.rawServer()).trustedRawPublicKeys(pki.rawClient().publicKey())
                .peerVerification(PeerVerification.REQUIRED).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            DtlsAlertException refused = Tck.failedWithAlert(pair, pair.server(), "the server must refuse an unknown client key");
            assertEquals(DtlsAlertException.Origin.LOCAL, refused.origin(), "the server refused: " + refused);
            Tck.failedWithAlert(pair, pair.client(), "the client must hear of it");
        }
    }

    /**
     * A server that knows too many device keys to list asks its registry
     * ({@code rawPublicKeyTrust}) about a key it does not list, and the registry's answer
     * decides.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RPK-5")
    default void aRawPublicKeyTrustDecidesForKeysNotListed(TckRun run) {
        TckPki pki = TckPki.get();
        java.util.List<java.security.PublicKey> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (boolean known : new boolean[] {true, false}) {
            DtlsConfig client = Tck.fast(run).credentials(pki.rawClient()).trustedRawPublicKeys(pki.rawServer().publicKey())
                    .build();
            DtlsConfig server = Tck.fast(run).credentials(pki.rawServer()).peerVerification(PeerVerification.REQUIRED)
                    .rawPublicKeyTrust((key, role) -> {
                        asked.add(key);
                        return known && key.equals(pki.rawClient().publicKey());
                    }).build();
            try (SessionPair pair = Tck.clean(run, client, server)) {
                if (known) {
                    pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
                    assertEquals(pki.rawClient().publicKey(),
                            pair.server().established().join().peerRawPublicKey().orElse(null),
                            "the server reports the key its registry accepted");
                } else {
                    DtlsAlertException refused = Tck.failedWithAlert(pair, pair.server(), "a key the registry refuses");
                    assertEquals(DtlsAlertException.Origin.LOCAL, refused.origin(), "the server refused: " + refused);
                }
            }
        }
        assertTrue(asked.contains(TckPki.get().rawClient().publicKey()), "the registry was asked about the client's key");
    }

    /**
     * Checks rule RPK-6 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("RPK-6")
    default void aClientThatTrustsOnlyRawKeysRefusesACertificateServer(TckRun run) {
        DtlsConfig client = Tck.fast(run).trustedRawPublicKeys(TckPki.get().rawServer().publicKey()).build();
        try (SessionPair pair = Tck.clean(run, client,
                Tck.server(run).build())) {
            Tck.failedWithAlert(pair, pair.client(), "the handshake must fail");
        }
    }

}
