package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.junit.jupiter.api.Test;

/**
 * Refused handshakes: missing, untrusted, expired and vetoed certificates. Each must fail
 * with a {@link DtlsAlertException} that says which alert and who sent it, on the side that
 * refused (LOCAL) and, because the alert reaches it, on the other side (PEER).
 *
 * <p>If these fail, check that the provider validates chains against the configured
 * anchors (or uses {@code PeerCertificates.validate}), calls the configured
 * {@code CertificateVerifier}, flushes the alert datagram before reporting the failure, and
 * parses the alert it receives.
 *
 * @since 0.1
 */
public interface AuthenticationContract extends TckTarget {

    /**
     * Checks rule AU-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AU-1")
    default void missingClientCertificateFailsBothSidesWithAnAlert(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.mutualServer(run).build())) {
            DtlsAlertException server = Tck.failedWithAlert(pair, pair.server(), "the server requires a client certificate");
            assertEquals(DtlsAlertException.Origin.LOCAL, server.origin(), "the server refused, so it sent the alert: " + server);
            DtlsAlertException client = Tck.failedWithAlert(pair, pair.client(), "the client must learn of the server's refusal");
            assertEquals(DtlsAlertException.Origin.PEER, client.origin(), "the client received the alert: " + client);
            assertEquals(server.alert(), client.alert(), "both sides report the same alert");
        }
    }

    /**
     * Checks rule AU-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AU-2")
    default void untrustedServerCertificateFailsTheClient(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run, TckPki.get().untrustedServer()).build())) {
            refusedByClient(pair, "a chain from an untrusted CA");
        }
    }

    /**
     * Checks rule AU-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AU-3")
    default void expiredServerCertificateFailsTheClient(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run, TckPki.get().expiredServer()).build())) {
            refusedByClient(pair, "an expired certificate");
        }
    }

    /**
     * Checks rule AU-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AU-4")
    default void certificateVerifierVetoFailsTheHandshake(TckRun run) {
        List<List<X509Certificate>> seen = new CopyOnWriteArrayList<>();
        DtlsConfig client = Tck.client(run).certificateVerifier((chain, role) -> {
            seen.add(chain);
            throw new CertificateException("vetoed by the TCK");
        }).build();
        try (SessionPair pair = Tck.clean(run, client, Tck.server(run).build())) {
            refusedByClient(pair, "a chain the CertificateVerifier vetoed");
            assertTrue(!seen.isEmpty(), "the verifier must have been called");
            assertEquals(TckPki.get().ecServer().certificateChain().get(0), seen.get(0).get(0),
                    "the verifier sees the server's end-entity certificate first");
        }
    }

    /**
     * Checks rule AU-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("AU-5")
    default void serverCertificateVerifierSeesAndCanVetoTheClientChain(TckRun run) {
        List<DtlsRole> roles = new CopyOnWriteArrayList<>();
        DtlsConfig server = Tck.mutualServer(run).certificateVerifier((chain, role) -> {
            roles.add(role);
            throw new CertificateException("client vetoed by the TCK");
        }).build();
        try (SessionPair pair = Tck.clean(run, Tck.mutualClient(run).build(), server)) {
            DtlsAlertException s = Tck.failedWithAlert(pair, pair.server(), "the server vetoed the client's chain");
            assertEquals(DtlsAlertException.Origin.LOCAL, s.origin(), "the server sent the alert: " + s);
            assertTrue(s.alert().isCertificateAlert(), "a veto is a certificate alert, got " + s.alert());
            DtlsAlertException c = Tck.failedWithAlert(pair, pair.client(), "the client must receive the server's alert");
            assertEquals(DtlsAlertException.Origin.PEER, c.origin(), "the client received the alert: " + c);
            assertEquals(List.of(DtlsRole.SERVER), roles.subList(0, 1), "the verifier is told it runs for the server");
        }
    }

    private static void refusedByClient(SessionPair pair, String why) {
        DtlsAlertException client = Tck.failedWithAlert(pair, pair.client(), "the client must refuse " + why);
        assertEquals(DtlsAlertException.Origin.LOCAL, client.origin(), "the client refused, so it sent the alert: " + client);
        assertTrue(client.alert().isCertificateAlert(), "refusing " + why + " is a certificate alert, got " + client.alert());
        DtlsAlertException server = Tck.failedWithAlert(pair, pair.server(), "the server must receive the client's alert");
        assertEquals(DtlsAlertException.Origin.PEER, server.origin(), "the server received the alert: " + server);
        assertEquals(client.alert(), server.alert(), "both sides report the same alert");
    }

}
