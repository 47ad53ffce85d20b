package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Full handshakes with certificates, and what both sides report afterwards.
 *
 * <p>If these fail, check first that the provider emits every datagram through
 * {@code onDatagram}, calls {@code onHandshakeComplete} exactly when the handshake is
 * done, and reports the negotiated parameters in {@code DtlsSessionInfo}.
 *
 * @since 0.1
 */
public interface HandshakeContract extends TckTarget {

    /**
     * Checks rule HS-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-1")
    default void handshakeCompletesWithEcdsaP256Certificates(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run, TckPki.get().ecServer()).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            Tck.assertSuiteFor(run, pair.client().established().join(), "ECDSA");
            assertEquals(DtlsSessionState.ESTABLISHED, pair.client().session().state());
            assertEquals(DtlsSessionState.ESTABLISHED, pair.server().session().state());
        }
    }

    /**
     * Checks rule HS-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-2")
    default void handshakeCompletesWithRsa2048Certificates(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run, TckPki.get().rsaServer()).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            Tck.assertSuiteFor(run, pair.client().established().join(), "RSA");
        }
    }

    /**
     * Checks rule HS-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-3")
    default void mutualAuthenticationCompletesWhenClientPresentsCertificate(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.mutualClient(run).build(), Tck.mutualServer(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            List<X509Certificate> seen = pair.server().established().join().peerCertificates();
            assertTrue(!seen.isEmpty(), "the server must report the client's chain");
            assertEquals(TckPki.get().ecClient().certificateChain().get(0), seen.get(0),
                    "the server must report the client's end-entity certificate first");
        }
    }

    /**
     * Checks rule HS-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-4")
    default void negotiatedParametersAreReportedAlikeOnBothSides(TckRun run) {
        DtlsConfig client = Tck.client(run).build();
        try (SessionPair pair = Tck.clean(run, client, Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            DtlsSessionInfo c = pair.client().established().join();
            DtlsSessionInfo s = pair.server().established().join();
            assertEquals(run.version(), c.protocolVersion(), "the handshake negotiates the version both ends are configured for");
            assertEquals(c.protocolVersion(), s.protocolVersion(), "both sides report the same version");
            assertEquals(c.cipherSuite(), s.cipherSuite(), "both sides report the same IANA suite name");
            assertTrue(client.cipherSuites().contains(c.cipherSuite()),
                    "the suite must be one that was configured, by its IANA name: " + c.cipherSuite());
            assertEquals(TckPki.get().ecServer().certificateChain().get(0), c.peerCertificates().get(0),
                    "the client reports the server's end-entity certificate first");
            assertTrue(s.peerCertificates().isEmpty(), "no client certificate was sent, so the server reports none");
            assertEquals(c.applicationProtocol(), s.applicationProtocol(), "no ALPN on either side");
            assertTrue(!c.resumed() && !s.resumed(), "a first handshake is not resumed");
            DtlsSessionInfo viaSession = pair.client().onLoop(() -> pair.client().session().info().orElseThrow());
            assertEquals(c, viaSession, "session.info() reports what onHandshakeComplete reported");
        }
    }

    /**
     * A server picks by its own configured order, not the client's: {@code cipherSuites} is
     * "most preferred first" on both sides, and the server's preference is the one that
     * decides (OpenSSL needs {@code SSL_OP_CIPHER_SERVER_PREFERENCE} for that; JSSE
     * {@code setUseCipherSuitesOrder(true)}).
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-5")
    default void theServersOrderOfCipherSuitesDecides(TckRun run) {
        boolean tls13 = run.version() == ProtocolVersion.DTLS_1_3;
        String aes128 = tls13 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        String aes256 = tls13 ? "TLS_AES_256_GCM_SHA384" : "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        for (List<String> serverOrder : List.of(List.of(aes128, aes256), List.of(aes256, aes128))) {
            List<String> clientOrder = List.of(serverOrder.get(1), serverOrder.get(0));
            try (SessionPair pair = Tck.clean(run, Tck.client(run).cipherSuites(clientOrder).build(), Tck.server(run).cipherSuites(serverOrder).build())) {
                pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
                assertEquals(serverOrder.get(0), pair.server().established().join().cipherSuite(),
                        "the server's first choice, although the client prefers " + clientOrder.get(0));
                assertEquals(serverOrder.get(0), pair.client().established().join().cipherSuite(), "on both sides");
            }
        }
    }

    /**
     * Checks rule HS-6 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-6")
    default void handshakeFragmentsToFitSmallDatagrams(TckRun run) {
        int mtu = 400;
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).maxDatagramSize(mtu).build())
                .serverConfig(Tck.server(run, TckPki.get().rsaServer()).maxDatagramSize(mtu).build())
                .conditions(org.dtls4j.tck.net.NetworkConditions.CLEAN.withMtu(mtu))
                .build().start()) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            for (WireEvent e : pair.link().wire()) {
                assertTrue(e.bytes().length <= mtu, "every datagram must fit maxDatagramSize " + mtu + ": " + e);
            }
        }
    }
    /**
     * {@code beginHandshake} starts a session once; a second call, at any time, is a caller's error.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("HS-7")
    default void beginHandshakeASecondTimeIsRefused(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            for (SessionPair.End end : List.of(pair.client(), pair.server())) {
                assertThrows(IllegalStateException.class, () -> end.onLoop(() -> {
                    end.session().beginHandshake();
                    return null;
                }), "a second beginHandshake must throw IllegalStateException (SessionPreconditions.requireBeginnable)");
            }
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertThrows(IllegalStateException.class, () -> pair.client().onLoop(() -> {
                pair.client().session().beginHandshake();
                return null;
            }), "beginHandshake on an established session must throw IllegalStateException");
        }
    }
}
