package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.PeerVerification;
import org.dtls4j.tck.net.WireEvent;

/**
 * Configurations, seeds and limits the TCK's contracts share. Timers are short (tens of
 * milliseconds) so that even lossy cases take well under a second.
 *
 * <p>Every config names the run's protocol version, except those of
 * {@link #fastWithDefaultVersions()}, for the rules about default versions. Seeds: every randomised test draws from
 * a seed derived from its name ({@link TckRun#seed()}), so runs are repeatable;
 * {@code -Ddtls4j.tck.seed=N} overrides it. Failure messages print the seed.
 */
final class Tck {

    /** How long a handshake on a clean link may take before a test gives up. */
    static final Duration CLEAN_HANDSHAKE = Duration.ofSeconds(5);
    /** How long a handshake on a lossy link may take before a test gives up. */
    static final Duration LOSSY_HANDSHAKE = Duration.ofSeconds(15);
    /** How long to wait for one event (a record, an alert, end of stream). */
    static final Duration EVENT = Duration.ofSeconds(5);
    /**
     * How long a socket is watched for an answer that must not come, once the listener has
     * counted the datagram it would answer: an answer leaves on the thread that counted it.
     */
    static final Duration QUIET = Duration.ofMillis(300);

    static final Duration INITIAL_RETRANSMIT = Duration.ofMillis(20);
    static final Duration MAX_RETRANSMIT = Duration.ofMillis(200);

    /** Why a rule about the HelloVerifyRequest cookie exchange belongs to DTLS 1.2 alone. */
    static final String HELLO_VERIFY_REQUEST_ONLY = "the HelloVerifyRequest cookie exchange is DTLS 1.2's"
            + " (RFC 6347 section 4.2.1); DTLS 1.3 sends its cookie in a HelloRetryRequest (RFC 9147 section 5.1)";

    /** Why a rule that names a PSK cipher suite belongs to DTLS 1.2 alone. */
    static final String PSK_BEFORE_DTLS_1_3 = "the PSK suites are (D)TLS 1.2's (RFC 4279, RFC 5489), and dtls4j has no"
            + " contract yet for external PSKs in DTLS 1.3 (RFC 8446 sections 2.2 and 4.2.11: psk_ke/psk_dhe_ke,"
            + " binders): the one 1.3 provider, wolfSSL 5.9.2, fails that handshake with illegal_parameter, so its"
            + " PSK configurations negotiate 1.2";

    /** Why a rule about the tls12_cid record type belongs to DTLS 1.2 alone. */
    static final String TLS12_CID_ONLY = "the tls12_cid record type is DTLS 1.2's (RFC 9146 section 4); DTLS 1.3 carries"
            + " the connection ID in its unified header (RFC 9147 section 4)";

    /** The one system property that fixes the seed of every randomised TCK test. */
    static final String SEED_PROPERTY = "dtls4j.tck.seed";

    /**
     * The system property that sets the I/O threads of the {@code DtlsServer} in the UDP rules
     * of {@link MigrationContract} (default 1): {@code -Ddtls4j.tck.ioThreads=2} runs them
     * across the sockets of {@code TransportOptions.ioThreads(2)}.
     */
    static final String IO_THREADS_PROPERTY = "dtls4j.tck.ioThreads";

    /** The server I/O threads {@link #IO_THREADS_PROPERTY} asks for; 1 when unset. */
    static int serverIoThreads() {
        String v = System.getProperty(IO_THREADS_PROPERTY, "1");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + IO_THREADS_PROPERTY + "=" + v + ": give a whole number, 1 or more");
    }

    private Tck() {
    }

    /** A config builder with the TCK's short timers. */
    static DtlsConfig.Builder fast(TckRun run) {
        return DtlsConfig.builder()
                .protocolVersions(run.version())
                .retransmission(INITIAL_RETRANSMIT, MAX_RETRANSMIT)
                .handshakeTimeout(LOSSY_HANDSHAKE);
    }

    /**
     * A config builder with the TCK's short timers and the protocol versions left unset, so that
     * the provider narrows the defaults: only for the rules about those defaults.
     */
    static DtlsConfig.Builder fastWithDefaultVersions() {
        return DtlsConfig.builder().retransmission(INITIAL_RETRANSMIT, MAX_RETRANSMIT).handshakeTimeout(LOSSY_HANDSHAKE);
    }

    /** A client that trusts the TCK CA. */
    static DtlsConfig.Builder client(TckRun run) {
        return fast(run).trustedCertificates(TckPki.get().caCertificate());
    }

    /** A client that trusts the TCK CA and presents the TCK client certificate. */
    static DtlsConfig.Builder mutualClient(TckRun run) {
        return client(run).credentials(TckPki.get().ecClient());
    }

    /** A server with these credentials that does not ask for client certificates. */
    static DtlsConfig.Builder server(TckRun run, Credentials credentials) {
        return fast(run).credentials(credentials).trustedCertificates(TckPki.get().caCertificate());
    }

    /** An ECDSA P-256 server. */
    static DtlsConfig.Builder server(TckRun run) {
        return server(run, TckPki.get().ecServer());
    }

    /** An ECDSA P-256 server that requires a client certificate. */
    static DtlsConfig.Builder mutualServer(TckRun run) {
        return server(run).peerVerification(PeerVerification.REQUIRED);
    }

    /** A pair builder for the run's providers, seeded for the run's test. */
    static SessionPairBuilder pair(TckRun run) {
        return SessionPair.builder(run.clientProvider(), run.serverProvider()).seed(run.seed());
    }

    /** A started pair on a clean link. */
    static SessionPair clean(TckRun run, DtlsConfig client, DtlsConfig server) {
        return pair(run).clientConfig(client).serverConfig(server).build().start();
    }

    /**
     * {@return the datagram that carried the client's first record, a protected one of the
     * session's epoch: the handshake of {@code pair} completes, the client sends the byte 1,
     * and the server delivers it}
     */
    static byte[] firstClientRecord(SessionPair pair) {
        pair.awaitEstablished(CLEAN_HANDSHAKE);
        pair.client().send(new byte[] {1});
        assertArrayEquals(new byte[] {1}, Await.next(pair.server().records(), EVENT, () -> "the first record"));
        List<WireEvent> wire = pair.link().wire();
        return wire.get(wire.size() - 1).bytes();
    }

    /**
     * The alert {@code end} failed with: it fails within {@link #EVENT}, with a
     * {@link DtlsAlertException}, reports FAILED, and never also completes.
     */
    static DtlsAlertException failedWithAlert(SessionPair pair, SessionPair.End end, String what) {
        DtlsException failure = Await.value(end.failed(), EVENT, () -> what + "\n" + pair.describe());
        assertInstanceOf(DtlsAlertException.class, failure, what + ": expected an alert, got " + failure);
        assertEquals(DtlsSessionState.FAILED, end.session().state(), "a failed session reports FAILED");
        assertTrue(!end.established().isDone(), "a refused handshake must not also complete");
        return (DtlsAlertException) failure;
    }

    /**
     * The most bytes an AEAD record of {@code version}, without a connection ID, adds to its
     * plaintext. DTLS 1.2 (RFC 6347 section 4.1, RFC 5288 section 3): a 13-byte header, an
     * 8-byte explicit nonce (GCM, CCM; none for ChaCha20-Poly1305) and a 16-byte tag. DTLS 1.3
     * (RFC 9147 section 4): the unified header with a 16-bit sequence number and the length (5
     * bytes), no explicit nonce, the inner content type (1 byte) and a 16-byte tag.
     */
    static int maxAeadRecordOverhead(ProtocolVersion version) {
        return version == ProtocolVersion.DTLS_1_3 ? 5 + 1 + 16 : 13 + 8 + 16;
    }

    /**
     * Asserts that {@code info}'s suite is one the run's version negotiates for a server whose
     * certificate signs with {@code signature} ("ECDSA" or "RSA"): in DTLS 1.2 a suite naming
     * it ({@code TLS_ECDHE_ECDSA_WITH_...}); in DTLS 1.3, whose suites name no authentication
     * (RFC 8446 section 4.4.3: the certificate's key signs), a TLS 1.3 suite, with that
     * certificate reported.
     */
    static void assertSuiteFor(TckRun run, DtlsSessionInfo info, String signature) {
        String suite = info.cipherSuite();
        if (run.version() != ProtocolVersion.DTLS_1_3) {
            assertTrue(suite.contains("_" + signature + "_"), "a " + signature + " certificate must negotiate a "
                    + signature + " suite in " + run.version().standardName() + ", got " + suite);
            return;
        }
        assertTrue(suite.startsWith("TLS_") && !suite.contains("_WITH_"),
                "DTLS 1.3 negotiates a TLS 1.3 suite (no key exchange in its name), got " + suite);
        assertTrue(!info.peerCertificates().isEmpty(), "the client reports the server's certificate");
        String key = info.peerCertificates().get(0).getPublicKey().getAlgorithm();
        assertEquals(signature.equals("ECDSA") ? "EC" : signature, key,
                "the server's certificate signs with " + signature + ", so its key is " + signature + "'s");
    }

    /** Bytes 0, 1, 2, ... of the given length, tagged with {@code tag} in the first byte. */
    static byte[] payload(int length, int tag) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + tag);
        }
        if (length > 0) {
            b[0] = (byte) tag;
        }
        return b;
    }
}
