package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.HelloRetryCookies.ReturnedCookie;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * wolfSSL's DTLS 1.3 cookie behind the listener ({@link Dtls13Cookies}): minted by wolfSSL in a
 * HelloRetryRequest, checked in Java before any session exists, bound to the client's address,
 * expiring with the secret's rotation, and accepted by the session then made for the client.
 */
@NeedsWolfSsl
class Dtls13CookiesTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 4433);
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private WolfSslContext server;
    private WolfSslContext client;

    @BeforeEach
    void contexts() {
        DtlsConfig s = TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build();
        DtlsConfig c = TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_3).build();
        server = WolfSslContext.create("wolfssl", s, clock::get);
        client = WolfSslContext.create("wolfssl", c);
    }

    @AfterEach
    void close() {
        server.close();
        client.close();
    }

    @Test
    void aReturnedCookieVerifiesForItsClientOnlyAndOnlyWhileItsSecretLasts() {
        Exchange x = firstExchange();
        assertThat(server.returnedCookie(x.firstHello.duplicate(), CLIENT)).isEqualTo(ReturnedCookie.ABSENT);
        assertThat(server.returnedCookie(x.secondHello.duplicate(), CLIENT)).isEqualTo(ReturnedCookie.VALID);
        assertThat(server.returnedCookie(x.secondHello.duplicate(), new InetSocketAddress("127.0.0.1", 40001)))
                .as("another port").isEqualTo(ReturnedCookie.INVALID);
        assertThat(server.returnedCookie(x.secondHello.duplicate(), new InetSocketAddress("127.0.0.2", 40000)))
                .as("another host").isEqualTo(ReturnedCookie.INVALID);
        ByteBuffer tampered = copy(x.secondHello);
        int last = cookieEnd(tampered) - 1;
        tampered.put(last, (byte) (tampered.get(last) ^ 1));
        assertThat(server.returnedCookie(tampered, CLIENT)).as("an altered MAC").isEqualTo(ReturnedCookie.INVALID);

        clock.addAndGet(Dtls13Cookies.ROTATION_NANOS + SECOND);
        assertThat(server.returnedCookie(x.secondHello.duplicate(), CLIENT))
                .as("under the previous secret, one rotation later").isEqualTo(ReturnedCookie.VALID);
        clock.addAndGet(Dtls13Cookies.ROTATION_NANOS);
        assertThat(server.returnedCookie(x.secondHello.duplicate(), CLIENT))
                .as("two rotations later").isEqualTo(ReturnedCookie.INVALID);
    }

    @Test
    void theSessionMadeForAVerifiedClientCompletesEvenAfterTheSecretRotated() {
        Exchange x = firstExchange();
        clock.addAndGet(Dtls13Cookies.ROTATION_NANOS + SECOND);
        assertThat(server.returnedCookie(x.secondHello.duplicate(), CLIENT)).isEqualTo(ReturnedCookie.VALID);
        RecordingListener s = new RecordingListener();
        DtlsSession ss = server.newServerSession(CLIENT, s);
        ss.beginHandshake();
        ss.receive(x.secondHello.duplicate());
        RecordingListener.pump(x.session, x.events, ss, s);
        assertThat(ss.state()).as("%s", s.failed().getNow(null)).isEqualTo(DtlsSessionState.ESTABLISHED);
        assertThat(x.session.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
        assertThat(s.info().orElseThrow().protocolVersion()).isEqualTo(ProtocolVersion.DTLS_1_3);
        ss.close();
        x.session.close();
    }

    @Test
    void mintingAHelloRetryRequestLeavesNothingBehind() {
        Map<NativeObjects.Type, Long> before = NativeObjects.COUNTS.snapshot();
        int registered = Sessions.registered();
        Exchange x = firstExchange();
        x.session.close();
        assertThat(NativeObjects.COUNTS.snapshot()).isEqualTo(before);
        assertThat(Sessions.registered()).isEqualTo(registered);
    }

    @Test
    void aDtls12OnlyContextMakesNoHelloRetryRequest() {
        try (WolfSslContext twelve = WolfSslContext.create("wolfssl",
                TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build())) {
            Exchange x = firstExchange();
            assertThat(twelve.helloRetryRequest(x.firstHello.duplicate(), CLIENT)).isEmpty();
            x.session.close();
        }
    }

    /** A client's first ClientHello, the server's HelloRetryRequest, and the client's second ClientHello. */
    private Exchange firstExchange() {
        RecordingListener c = new RecordingListener();
        DtlsSession cs = client.newClientSession(SERVER, c);
        cs.beginHandshake();
        ByteBuffer first = ByteBuffer.wrap(c.outbox().poll());
        List<ByteBuffer> retry = server.helloRetryRequest(first.duplicate(), CLIENT);
        assertThat(retry).as("wolfSSL answers with one HelloRetryRequest").hasSize(1);
        assertThat(retry.get(0).remaining()).as("no amplification").isLessThanOrEqualTo(first.remaining());
        cs.receive(retry.get(0));
        byte[] second = c.outbox().poll();
        assertThat(second).as("the client answers the HelloRetryRequest").isNotNull();
        return new Exchange(cs, c, first, ByteBuffer.wrap(second));
    }

    private record Exchange(DtlsSession session, RecordingListener events, ByteBuffer firstHello, ByteBuffer secondHello) {
    }

    /** Where the cookie extension's cookie ends in a second ClientHello (its MAC is its last 32 bytes). */
    private static int cookieEnd(ByteBuffer hello) {
        org.dtls4j.spi.ClientHellos reader = new org.dtls4j.spi.ClientHellos();
        assertThat(reader.read(hello)).isEqualTo(org.dtls4j.spi.ClientHellos.Verdict.CLIENT_HELLO);
        ByteBuffer cookie = reader.retryCookie(hello).orElseThrow();
        byte[] mac = new byte[32];
        cookie.position(cookie.limit() - 32).get(mac);
        for (int i = hello.position(); i + 32 <= hello.limit(); i++) {
            if (hello.slice(i, 32).equals(ByteBuffer.wrap(mac))) {
                return i + 32;
            }
        }
        throw new AssertionError("the cookie's MAC is not in the ClientHello");
    }

    private static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    }
}
