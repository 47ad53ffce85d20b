package org.dtls4j.jsse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.spi.DtlsRecords;

/**
 * Whether this JDK's JSSE server answers a resuming ClientHello that carries no cookie with
 * a HelloVerifyRequest, as it does a full one: found by behaviour, once.
 *
 * <p>{@code ClientHelloRewriter} relies on it (the engine must answer the primed cookie-less
 * copy with a HelloVerifyRequest, resumption or not). JDK 17 updates with
 * {@code jdk.tls.enableDtlsResumeCookie} left at its default do; older ones, or that property
 * set to false, answer with a ServerHello (JDK-8287411). Rather than read a private field of
 * {@code sun.security.ssl} to guess which JDK this is, the probe asks JSSE: two engines of
 * one context complete a handshake in memory under a throwaway self-signed EC certificate,
 * then a second client engine for the same peer offers that session, and a fresh server
 * engine is shown its ClientHello. A HelloVerifyRequest in answer says yes; a ServerHello, a
 * ClientHello that offers no session, or any failure says no (resumption is then not
 * declared, sessions are invalidated, and the provider's notes say why; a failure is also
 * logged as a WARNING). It runs once, on first use of the provider's capabilities, and costs one in-memory handshake: measured here about 1.5 s on a cold JVM
 * under load, most of it JSSE's own start-up, which the first context pays anyway.
 *
 * <p>Thread-safe: stateless.
 */
final class ResumptionProbe {

    private static final System.Logger LOG = System.getLogger(ResumptionProbe.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_STEPS = 64;
    /** Record header, handshake header, client_version and random: where the session ID's length sits. */
    private static final int SESSION_ID_LENGTH_AT = DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 2 + 32;
    private static final char[] PASSWORD = "probe".toCharArray();

    private ResumptionProbe() {
    }

    /**
     * What the probe found: whether a JSSE server runs its cookie exchange on resumption
     * too, and, when it does not or the probe failed, what a user should know.
     */
    record Outcome(boolean resumes, Optional<String> note) {
    }

    /** Runs the probe on a context of its own. */
    static Outcome run() {
        return run(ResumptionProbe::context);
    }

    /**
     * Runs the probe on the context {@code contexts} makes. A failure is logged as a
     * WARNING, since it turns resumption off, and is the outcome's note.
     */
    static Outcome run(Callable<SSLContext> contexts) {
        int answer;
        try {
            answer = answerToResumingHello(contexts.call());
        } catch (Exception | LinkageError e) {
            String why = "the JSSE resumption probe failed (" + e + "), so SESSION_RESUMPTION is not declared and"
                    + " sessions are never resumed";
            LOG.log(System.Logger.Level.WARNING, why, e);
            return new Outcome(false, Optional.of(why));
        }
        LOG.log(System.Logger.Level.DEBUG, "JSSE answers a resuming ClientHello with handshake type {0}", answer);
        if (answer == DtlsRecords.HELLO_VERIFY_REQUEST) {
            return new Outcome(true, Optional.empty());
        }
        return new Outcome(false, Optional.of("sessions are never resumed: this JDK's JSSE answers a resuming"
                + " ClientHello without its cookie exchange (JDK-8287411); a JDK 17 update that has"
                + " jdk.tls.enableDtlsResumeCookie, left at true, resumes them"));
    }

    /** The handshake type a fresh server engine answers a resuming, cookie-less ClientHello with; -1 if none. */
    static int answerToResumingHello(SSLContext context) throws SSLException {
        SSLEngine client = engine(context, true);
        SSLEngine server = engine(context, false);
        handshake(client, server);
        SSLEngine again = engine(context, true);
        again.beginHandshake();
        Deque<ByteBuffer> hello = new ArrayDeque<>();
        produce(again, hello);
        ByteBuffer first = hello.peek();
        if (first == null || first.limit() <= SESSION_ID_LENGTH_AT || first.get(SESSION_ID_LENGTH_AT) == 0) {
            return -1; // no session offered: nothing to learn
        }
        SSLEngine fresh = engine(context, false);
        fresh.beginHandshake();
        Deque<ByteBuffer> answer = new ArrayDeque<>();
        consume(fresh, first);
        produce(fresh, answer);
        ByteBuffer a = answer.peek();
        return a == null ? -1 : DtlsRecords.plaintextHandshakeType(a, 0);
    }

    private static SSLEngine engine(SSLContext context, boolean client) {
        SSLEngine e = client ? context.createSSLEngine("probe.invalid", 1) : context.createSSLEngine();
        e.setUseClientMode(client);
        e.setEnabledProtocols(new String[] {"DTLSv1.2"});
        return e;
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        Deque<ByteBuffer> toServer = new ArrayDeque<>();
        Deque<ByteBuffer> toClient = new ArrayDeque<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            for (ByteBuffer d; (d = toClient.poll()) != null; ) {
                consume(client, d);
            }
            produce(client, toServer);
            for (ByteBuffer d; (d = toServer.poll()) != null; ) {
                consume(server, d);
            }
            produce(server, toClient);
            if (toClient.isEmpty() && toServer.isEmpty() && done(client) && done(server)) {
                return;
            }
        }
        throw new SSLException("the probe's in-memory handshake did not complete");
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void consume(SSLEngine e, ByteBuffer datagram) throws SSLException {
        ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
        e.unwrap(datagram, app);
        runTasks(e);
        while (e.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP_AGAIN) {
            e.unwrap(EMPTY, app.clear());
            runTasks(e);
        }
    }

    /** Wraps while the engine wants to, each record one datagram. */
    private static void produce(SSLEngine e, Deque<ByteBuffer> out) throws SSLException {
        for (int i = 0; i < MAX_STEPS && e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            Status s = e.wrap(EMPTY, net).getStatus();
            runTasks(e);
            if (net.position() > 0) {
                out.add(net.flip());
            }
            if (s != Status.OK) {
                return;
            }
        }
    }

    private static void runTasks(SSLEngine e) {
        for (Runnable t; (t = e.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    /** A DTLS context whose server holds a throwaway self-signed EC key and whose client trusts anything. */
    private static SSLContext context() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("probe", keys.getPrivate(), PASSWORD, new Certificate[] {selfSigned(keys)});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("DTLS");
        context.init(kmf.getKeyManagers(), new TrustManager[] {new TrustingAnything()}, null);
        return context;
    }

    /** A minimal X.509 certificate (CN=probe, ecdsa-with-SHA256), DER-encoded by hand: the JDK has no public API for one. */
    static X509Certificate selfSigned(KeyPair keys) throws Exception {
        byte[] ecdsaWithSha256 = der(0x30, der(0x06, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 4, 3, 2}));
        byte[] name = der(0x30, der(0x31, der(0x30, der(0x06, new byte[] {0x55, 4, 3}),
                der(0x0c, "probe".getBytes(StandardCharsets.US_ASCII)))));
        byte[] validity = der(0x30, der(0x17, "250101000000Z".getBytes(StandardCharsets.US_ASCII)),
                der(0x17, "491231235959Z".getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = der(0x30, der(0xa0, der(0x02, new byte[] {2})), der(0x02, new byte[] {1}), ecdsaWithSha256,
                name, validity, name, keys.getPublic().getEncoded());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] cert = der(0x30, tbs, ecdsaWithSha256, der(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(cert));
    }

    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** The probe's client: the certificate is the probe's own, and nothing secret crosses. */
    private static final class TrustingAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
