package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiPredicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * What bare JDK 17 JSSE does, pinned down with two raw engines and no dtls4j code between
 * them. Each fact is a reason for something in this module; if a JDK update changes one of
 * them, this test says which workaround may have become unnecessary.
 */
class JsseFactsTest {

    @Test
    void jsseDeliversAReplayedApplicationRecordAgain() throws Exception {
        RawPair p = new RawPair(trustAll(), (from, d) -> false);
        p.handshake();
        byte[] record = p.send(p.client, new byte[] {1, 2, 3});
        assertThat(p.receive(p.server, record)).containsExactly(1, 2, 3);
        assertThat(p.receive(p.server, record)).as("no replay detection: hence ReplayWindow").containsExactly(1, 2, 3);
    }

    @Test
    void aServerSendsItsFinalFlightTwiceAndThenIgnoresTheClientsRetransmission() throws Exception {
        RawPair p = new RawPair(trustAll(), (from, d) -> false);
        p.handshake();
        long finished = p.wire.stream().filter(w -> w.server && w.bytes[0] == 22 && w.bytes[4] == 1).count();
        assertThat(finished).as("JSSE sends the server's last flight twice: hence LastFlight holds one back")
                .isEqualTo(2);
        List<byte[]> clientFinal = p.wire.stream().filter(w -> !w.server && w.bytes[4] == 1).map(w -> w.bytes).toList();
        int before = p.wire.size();
        for (byte[] d : clientFinal) {
            p.deliver(p.server, d);
        }
        p.pump();
        assertThat(p.wire).as("an established server does not answer: hence LastFlight resends").hasSize(before);
    }

    @Test
    void aClientFailsTheHandshakeWhenOnlyTheNewSessionTicketIsLost() {
        int[] tickets = {0};
        RawPair p = new RawPair(trustAll(), (server, d) -> server && d[0] == 22 && d[4] == 0 && d[13] == 4
                && tickets[0]++ == 0);
        assertThatThrownBy(p::handshake).as("hence TicketGuard")
                .isInstanceOf(SSLException.class).hasMessageContaining("Finished message cannot be verified");
    }

    @Test
    void aClientTrustManagersPlainCertificateExceptionSendsCertificateUnknown() throws Exception {
        RawPair p = new RawPair(refuse(new CertificateException("no")), (from, d) -> false);
        assertThatThrownBy(p::handshake).isInstanceOf(SSLException.class);
        assertThat(p.lastAlert(false)).isEqualTo(46);
    }

    @Test
    void aClientTrustManagersCertPathCauseChoosesTheAlert() throws Exception {
        CertificateException e = new CertificateException("no", new CertPathValidatorException("no", null, null, -1,
                CertPathValidatorException.BasicReason.INVALID_SIGNATURE));
        RawPair p = new RawPair(refuse(e), (from, d) -> false);
        assertThatThrownBy(p::handshake).isInstanceOf(SSLException.class);
        assertThat(p.lastAlert(false)).as("bad_certificate: hence PeerTrustManager.steerJsseAlert").isEqualTo(42);
    }

    // ------------------------------------------------------------------ a bare JSSE pair

    private static X509ExtendedTrustManager trustAll() {
        return refuse(null);
    }

    private static X509ExtendedTrustManager refuse(CertificateException e) {
        return new X509ExtendedTrustManager() {
            private void check() throws CertificateException {
                if (e != null) {
                    throw e;
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
                check();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
                check();
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine s) throws CertificateException {
                check();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine s) throws CertificateException {
                check();
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
                check();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
                check();
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    /** Two engines, one record per datagram, a loss filter, nothing else. */
    private static final class RawPair {
        record Sent(boolean server, byte[] bytes) {
        }

        final SSLEngine client;
        final SSLEngine server;
        final List<Sent> wire = new ArrayList<>();
        private final Deque<Object[]> inFlight = new ArrayDeque<>();
        private final BiPredicate<Boolean, byte[]> lose;
        private final ByteBuffer net = ByteBuffer.allocate(1 << 16);
        private final ByteBuffer app = ByteBuffer.allocate(1 << 16);

        RawPair(X509ExtendedTrustManager clientTrust, BiPredicate<Boolean, byte[]> lose) {
            this.lose = lose;
            try {
                SSLContext c = SSLContext.getInstance("DTLS");
                c.init(null, new TrustManager[] {clientTrust}, null);
                SSLContext s = SSLContext.getInstance("DTLS");
                s.init(new javax.net.ssl.KeyManager[] {new CredentialsKeyManager(TckPki.get().ecServer())},
                        new TrustManager[] {trustAll()}, null);
                client = c.createSSLEngine(TckPki.SERVER_NAME, 4433);
                client.setUseClientMode(true);
                server = s.createSSLEngine();
                server.setUseClientMode(false);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        void handshake() throws SSLException {
            client.beginHandshake();
            server.beginHandshake();
            try {
                pump();
            } catch (SSLException failed) {
                for (SSLEngine e : new SSLEngine[] {client, server}) {
                    for (int i = 0; i < 10; i++) { // the alert JSSE queued when it failed
                        net.clear();
                        try {
                            e.wrap(ByteBuffer.allocate(0), net);
                        } catch (SSLException again) {
                            // the other engine, or nothing left
                        }
                        flush(e);
                    }
                }
                throw failed;
            }
            if (client.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
                throw new AssertionError("the raw handshake did not finish");
            }
        }

        void pump() throws SSLException {
            for (int i = 0; i < 1000; i++) {
                boolean progress = drain(client) | drain(server);
                Object[] p = inFlight.poll();
                if (p != null) {
                    receive((SSLEngine) p[0], (byte[]) p[1]);
                    progress = true;
                }
                if (!progress) {
                    return;
                }
            }
        }

        void deliver(SSLEngine to, byte[] d) {
            inFlight.add(new Object[] {to, d});
        }

        byte[] send(SSLEngine from, byte[] data) throws SSLException {
            net.clear();
            from.wrap(ByteBuffer.wrap(data), net);
            net.flip();
            byte[] d = new byte[net.remaining()];
            net.get(d);
            return d;
        }

        byte[] receive(SSLEngine to, byte[] datagram) throws SSLException {
            app.clear();
            to.unwrap(ByteBuffer.wrap(datagram.clone()), app);
            app.flip();
            byte[] out = new byte[app.remaining()];
            app.get(out);
            return out;
        }

        /** The description of the last plaintext alert sent by that side, or -1. */
        int lastAlert(boolean fromServer) {
            for (int i = wire.size() - 1; i >= 0; i--) {
                Sent s = wire.get(i);
                if (s.server == fromServer && s.bytes[0] == 21 && s.bytes[4] == 0) {
                    return s.bytes[14] & 0xff;
                }
            }
            return -1;
        }

        private boolean drain(SSLEngine e) throws SSLException {
            boolean progress = false;
            for (int i = 0; i < 100; i++) {
                HandshakeStatus hs = e.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) {
                        t.run();
                    }
                } else if (hs == HandshakeStatus.NEED_WRAP) {
                    net.clear();
                    SSLEngineResult r;
                    try {
                        r = e.wrap(ByteBuffer.allocate(0), net);
                    } finally {
                        flush(e);
                    }
                    if (r.bytesProduced() == 0) {
                        return progress;
                    }
                } else if (hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    app.clear();
                    e.unwrap(ByteBuffer.allocate(0), app);
                } else {
                    return progress;
                }
                progress = true;
            }
            return progress;
        }

        private void flush(SSLEngine e) {
            net.flip();
            if (!net.hasRemaining()) {
                return;
            }
            byte[] d = new byte[net.remaining()];
            net.get(d);
            boolean fromServer = e == server;
            wire.add(new Sent(fromServer, d));
            if (!lose.test(fromServer, d)) {
                deliver(fromServer ? client : server, d);
            }
        }
    }
}
