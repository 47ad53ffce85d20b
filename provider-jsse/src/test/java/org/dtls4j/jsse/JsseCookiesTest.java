package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JsseCookiesTest {

    /** A JSSE client's first ClientHello (no cookie) and its second (message_seq 1, a cookie). */
    private static byte[] first;
    private static byte[] second;

    @BeforeAll
    static void captureClientHellos() {
        try (Pair p = Pair.of(Configs.client().build(), Configs.server().build()).start()) {
            p.awaitEstablished();
            first = p.wire(Side.CLIENT).get(0).bytes();
            second = p.wire(Side.CLIENT).get(1).bytes();
        }
    }

    @Test
    void theCookieIsJssesOwnAndIgnoresWhateverCookieTheClientHelloCarries() {
        BackendCookies cookies = cookies();
        ByteBuffer hello = ByteBuffer.wrap(first);
        byte[] cookie = cookies.cookieFor(hello).orElseThrow();
        assertThat(hello.position()).as("the datagram is not consumed").isZero();
        assertThat(cookie).as("JSSE's cookie: a SHA-256").hasSize(32);
        assertThat(cookies.cookieFor(ByteBuffer.wrap(second))).as("the same ClientHello with another server's cookie")
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(cookie));
        assertThat(cookies().cookieFor(ByteBuffer.wrap(first))).as("another context has another secret")
                .hasValueSatisfying(c -> assertThat(c).isNotEqualTo(cookie));
    }

    @Test
    void anythingButOneWholeClientHelloGetsNoCookieAndNoException() {
        BackendCookies cookies = cookies();
        for (int n = 0; n < first.length; n++) {
            assertThat(cookies.cookieFor(ByteBuffer.wrap(first, 0, n))).as("first %d bytes", n).isEmpty();
        }
        byte[] fragment = first.clone();
        fragment[21] = 1; // fragment_offset 1
        assertThat(cookies.cookieFor(ByteBuffer.wrap(fragment))).as("a fragment").isEmpty();
        byte[] garbage = first.clone();
        for (int i = 13 + 12; i < garbage.length; i++) {
            garbage[i] = (byte) 0xff;
        }
        assertThat(cookies.cookieFor(ByteBuffer.wrap(garbage))).as("a body JSSE refuses").isEmpty();
    }

    @Test
    void onlyAWholeHelloVerifyRequestYieldsACookie() {
        byte[] hvr = StatelessListener.helloVerifyRequest(7, 0, new byte[] {1, 2, 3});
        assertThat(JsseCookies.cookieOf(ByteBuffer.wrap(hvr))).hasValueSatisfying(c -> assertThat(c).containsExactly(1, 2, 3));
        assertThat(JsseCookies.cookieOf(ByteBuffer.wrap(hvr, 0, hvr.length - 1))).as("truncated").isEmpty();
        byte[] serverHello = hvr.clone();
        serverHello[13] = 2;
        assertThat(JsseCookies.cookieOf(ByteBuffer.wrap(serverHello))).as("not a HelloVerifyRequest").isEmpty();
        assertThat(JsseCookies.cookieOf(ByteBuffer.wrap(StatelessListener.helloVerifyRequest(7, 0, new byte[0]))))
                .as("an empty cookie").isEmpty();
    }

    private static BackendCookies cookies() {
        return JsseContext.create("jsse", Configs.server().build(), System::nanoTime);
    }
}
