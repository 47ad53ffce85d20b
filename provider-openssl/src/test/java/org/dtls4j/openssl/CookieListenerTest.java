package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.dtls4j.CookieAuthority;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * The server's cookie paths: OpenSSL's own {@code DTLSv1_listen} exchange for a
 * cookie-less ClientHello, and the api listener's exchange, whose cookie binds ClientHello
 * parameters OpenSSL's callbacks never see.
 */
class CookieListenerTest {

    private static final CookieAuthority COOKIES = CookieAuthority.hmacSha256();

    /** What the api's listener binds a cookie to, read by the listener's own parser. */
    private static ByteBuffer parameters(byte[] clientHello) {
        ClientHellos reader = new ClientHellos();
        assertThat(reader.read(ByteBuffer.wrap(clientHello))).isEqualTo(ClientHellos.Verdict.CLIENT_HELLO);
        ByteBuffer p = reader.parameters();
        return ByteBuffer.wrap(Arrays.copyOfRange(p.array(), p.position(), p.limit())).asReadOnlyBuffer();
    }

    /** RFC 6347 section 4.2.1 HelloVerifyRequest answering a ClientHello's record sequence. */
    private static byte[] helloVerifyRequest(byte[] clientHello, byte[] cookie) {
        int body = 2 + 1 + cookie.length;
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + body);
        b.put((byte) 22).putShort((short) 0xfeff).putShort((short) 0);
        b.put(clientHello, 5, 6);
        b.putShort((short) (12 + body));
        b.put((byte) 3).put((byte) 0).putShort((short) body).putShort((short) 0);
        b.put((byte) 0).putShort((short) 0).put((byte) 0).putShort((short) body);
        b.putShort((short) 0xfeff).put((byte) cookie.length).put(cookie);
        return b.array();
    }

    @Test
    void aClientHelloWhoseCookieTheListenerVerifiedContinuesWithoutASecondExchange() {
        DtlsConfig serverConfig = TckPki.get().serverConfig().cookieAuthority(COOKIES).build();
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(serverConfig)) {
            RecordingListener c = new RecordingListener();
            DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
            cs.beginHandshake();
            byte[] hello1 = c.outbox().poll();
            // the listener, statelessly: a cookie bound to the client's address and the hello's parameters
            byte[] cookie = COOKIES.generate(SessionPair.CLIENT_ADDRESS, parameters(hello1));
            cs.receive(ByteBuffer.wrap(helloVerifyRequest(hello1, cookie)));
            byte[] hello2 = c.outbox().poll();
            assertThat(hello2).as("the client repeats its hello with the cookie").isNotNull();
            assertThat(COOKIES.verify(SessionPair.CLIENT_ADDRESS, parameters(hello2), cookie)).as("the listener's check").isTrue();
            assertThat(COOKIES.verify(SessionPair.CLIENT_ADDRESS, ByteBuffer.allocate(0), cookie))
                    .as("OpenSSL's callback alone could not verify it: it never sees the parameters").isFalse();

            RecordingListener s = new RecordingListener();
            DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
            ss.beginHandshake();
            ss.receive(ByteBuffer.wrap(hello2));
            assertThat(s.outbox()).as("the server answers the verified hello").isNotEmpty();
            assertThat(s.outbox().peek()[13]).as("with a ServerHello, not a second HelloVerifyRequest").isEqualTo((byte) 2);
            RecordingListener.pump(cs, c, ss, s);
            assertThat(cs.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(ss.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            cs.send(ByteBuffer.wrap(new byte[] {5}));
            RecordingListener.pump(cs, c, ss, s);
            assertThat(s.records()).hasSize(1);
            cs.close();
            ss.close();
        }
    }

    @Test
    void aCookielessClientHelloGetsAHelloVerifyRequestAndAForgedCookieAnother() {
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().cookieAuthority(COOKIES).build())) {
            RecordingListener c = new RecordingListener();
            DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
            cs.beginHandshake();
            RecordingListener s = new RecordingListener();
            DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
            ss.beginHandshake();
            ss.receive(ByteBuffer.wrap(c.outbox().poll()));
            byte[] hvr = s.outbox().poll();
            assertThat(hvr[13]).as("HelloVerifyRequest").isEqualTo((byte) 3);
            cs.receive(ByteBuffer.wrap(hvr));
            byte[] hello2 = c.outbox().poll();
            byte[] forged = hello2.clone();
            int cookieAt = 13 + 12 + 2 + 32 + 1 + (forged[13 + 12 + 2 + 32] & 0xff);
            forged[cookieAt + 1] ^= 0x55; // the first cookie byte
            ss.receive(ByteBuffer.wrap(forged));
            assertThat(s.outbox()).as("a forged cookie gets a fresh stateless HelloVerifyRequest").hasSize(1);
            assertThat(s.outbox().poll()[13]).as("HelloVerifyRequest, not ServerHello").isEqualTo((byte) 3);
            assertThat(ss.state()).isEqualTo(DtlsSessionState.HANDSHAKING);
            ss.receive(ByteBuffer.wrap(hello2));
            RecordingListener.pump(cs, c, ss, s);
            assertThat(cs.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(ss.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            cs.close();
            ss.close();
        }
    }

    @Test
    void aCookieMadeForAnotherAddressGetsAnotherHelloVerifyRequest() {
        InetSocketAddress elsewhere = new InetSocketAddress(SessionPair.CLIENT_ADDRESS.getAddress(), 50001);
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().cookieAuthority(COOKIES).build())) {
            RecordingListener c = new RecordingListener();
            DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
            cs.beginHandshake();
            RecordingListener s1 = new RecordingListener();
            DtlsSession first = server.newServerSession(elsewhere, s1);
            first.beginHandshake();
            first.receive(ByteBuffer.wrap(c.outbox().poll()));
            cs.receive(ByteBuffer.wrap(s1.outbox().poll()));
            byte[] hello2 = c.outbox().poll();
            // the same hello, cookie and all, replayed from CLIENT to a session for CLIENT after a cookie-less start
            RecordingListener s2 = new RecordingListener();
            DtlsSession second = server.newServerSession(SessionPair.CLIENT_ADDRESS, s2);
            second.beginHandshake();
            byte[] cookieless = DtlsRecords.putHeader(ByteBuffer.allocate(14), 20, 0xfefd, 0, 0, 1).array(); // a first datagram that is no hello
            second.receive(ByteBuffer.wrap(cookieless));
            second.receive(ByteBuffer.wrap(hello2));
            assertThat(second.droppedDatagrams()).as("the first datagram was no ClientHello").isEqualTo(1);
            assertThat(s2.outbox()).as("a cookie for another address is answered with a fresh cookie only").hasSize(1);
            assertThat(s2.outbox().poll()[13]).as("HelloVerifyRequest, not ServerHello").isEqualTo((byte) 3);
            first.close();
            second.close();
            cs.close();
        }
    }
}
