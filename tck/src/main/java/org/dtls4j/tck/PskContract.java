package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.dtls4j.Capability;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.PskKeyStore;
import org.junit.jupiter.api.Test;

/**
 * Pre-shared keys (RFC 4279, RFC 5489), for providers that declare {@link Capability#PSK}.
 *
 * <p>If these fail, check that the provider offers the configured PSK suites, sends the
 * identity from {@code DtlsConfig.preSharedKey()}, looks keys up through
 * {@code DtlsConfig.pskKeyStore()}, needs no certificates for PSK suites, and reports a
 * wrong key or an unknown identity as an alert on both sides.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.PSK)
public interface PskContract extends TckTarget {

    /** The identity and key the TCK's PSK tests share. */
    PreSharedKey TCK_PSK = PreSharedKey.ofHex("dtls4j-tck", "5f0e1bd2c3a4958677e6f9d0a1b2c3d4");

    /** {@return A server key store that knows only {@link #TCK_PSK}} */
    static PskKeyStore keyStore() {
        return identity -> Arrays.equals(identity, TCK_PSK.identity()) ? Optional.of(TCK_PSK.key()) : Optional.empty();
    }

    /**
     * Checks rule PSK-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("PSK-1")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = Tck.PSK_BEFORE_DTLS_1_3)
    default void plainPskHandshakeCompletesAndCarriesData(TckRun run) {
        pskHandshake(run, "TLS_PSK_WITH_AES_128_GCM_SHA256");
    }

    /**
     * Checks rule PSK-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("PSK-2")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = Tck.PSK_BEFORE_DTLS_1_3)
    default void ecdhePskHandshakeCompletesAndCarriesData(TckRun run) {
        pskHandshake(run, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256");
    }

    /**
     * Checks rule PSK-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("PSK-3")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = Tck.PSK_BEFORE_DTLS_1_3)
    default void wrongPskFailsBothSidesWithAnAlert(TckRun run) {
        DtlsConfig client = Tck.fast(run).preSharedKey(PreSharedKey.of(TCK_PSK.identity(),
                "a different key of 16 b".getBytes(StandardCharsets.US_ASCII))).build();
        DtlsConfig server = Tck.fast(run).pskKeyStore(keyStore()).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            bothFail(pair, "a wrong key");
        }
    }

    /**
     * Checks rule PSK-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("PSK-4")
    @ForVersions(value = {ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2}, why = Tck.PSK_BEFORE_DTLS_1_3)
    default void unknownPskIdentityFailsBothSidesWithAnAlert(TckRun run) {
        DtlsConfig client = Tck.fast(run).preSharedKey(PreSharedKey.ofHex("nobody", "00112233445566778899aabbccddeeff")).build();
        DtlsConfig server = Tck.fast(run).pskKeyStore(keyStore()).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            bothFail(pair, "an unknown identity");
        }
    }

    private void pskHandshake(TckRun run, String suite) {
        DtlsConfig client = Tck.fast(run).preSharedKey(TCK_PSK).cipherSuites(suite).build();
        DtlsConfig server = Tck.fast(run).pskKeyStore(keyStore()).cipherSuites(suite).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals(suite, pair.client().established().join().cipherSuite(), "the client reports the PSK suite");
            assertEquals(suite, pair.server().established().join().cipherSuite(), "the server reports the PSK suite");
            assertTrue(pair.client().established().join().peerCertificates().isEmpty(), "a PSK handshake has no certificates");
            assertArrayEquals(TCK_PSK.identity(), pair.server().established().join().pskIdentity().orElse(null),
                    "the server reports the identity the client presented: that is how it knows who connected");
            assertArrayEquals(TCK_PSK.identity(), pair.client().established().join().pskIdentity().orElse(null),
                    "the client reports the identity it sent");
            pair.client().send(new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2}, Await.next(pair.server().records(), Tck.EVENT, () -> "a record over PSK"));
        }
    }

    private static void bothFail(SessionPair pair, String why) {
        for (SessionPair.End end : new SessionPair.End[] {pair.server(), pair.client()}) {
            DtlsException e = Await.value(end.failed(), Tck.EVENT,
                    () -> "a PSK handshake with " + why + " must fail\n" + pair.describe());
            assertInstanceOf(DtlsAlertException.class, e, "a PSK failure is an alert, got " + e);
        }
    }
}
