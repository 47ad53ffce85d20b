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

    /**
     * The JDK fact the fragmented case rests on: JDK 17's DTLS cookie covers client_version,
     * random, session_id, cipher_suites and compression_methods, not the extensions. If a JDK
     * changes that, a fragmented ClientHello's first fragment no longer yields the right
     * cookie (TCK rules CK-6 and CK-7 then fail for jsse).
     */
    @Test
    void jdksCookieCoversTheFixedFieldsButNotTheExtensions() {
        BackendCookies cookies = cookies();
        byte[] cookie = cookies.cookieFor(ByteBuffer.wrap(first)).orElseThrow();
        byte[] otherGroups = first.clone();
        int groups = extension(otherGroups, 0x000a);
        assertThat(groups).as("a JSSE ClientHello offers supported_groups").isPositive();
        otherGroups[groups + 4 + 2 + 1] ^= 0x01;
        assertThat(cookies.cookieFor(ByteBuffer.wrap(otherGroups))).as("the same fixed fields, other supported_groups")
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(cookie));
        byte[] otherRandom = first.clone();
        otherRandom[13 + 12 + 2 + 5] ^= 1;
        assertThat(cookies.cookieFor(ByteBuffer.wrap(otherRandom))).as("another client random")
                .hasValueSatisfying(c -> assertThat(c).isNotEqualTo(cookie));
    }

    @Test
    void aFirstFragmentGetsTheCookieOfItsWholeClientHello() {
        BackendCookies cookies = cookies();
        byte[] cookie = cookies.cookieFor(ByteBuffer.wrap(first)).orElseThrow();
        int bodyLength = first.length - 25;
        int fixedFields = extension(first, 0x000a) - 25;
        for (int cut : new int[] {fixedFields + 1, fixedFields + 9, bodyLength - 1}) {
            byte[] fragment = new byte[25 + cut];
            System.arraycopy(first, 0, fragment, 0, fragment.length);
            fragment[11] = (byte) ((12 + cut) >>> 8); // record length
            fragment[12] = (byte) (12 + cut);
            fragment[23] = (byte) (cut >>> 8);        // fragment_length
            fragment[24] = (byte) cut;
            assertThat(cookies.cookieFor(ByteBuffer.wrap(fragment))).as("the first %d of %d bytes", cut, bodyLength)
                    .hasValueSatisfying(c -> assertThat(c).isEqualTo(cookie));
        }
    }

    /** Where extension {@code type} of a one-record ClientHello without cookie starts, or -1. */
    private static int extension(byte[] hello, int type) {
        int at = 13 + 12 + 2 + 32;
        at += 1 + (hello[at] & 0xff);          // session_id
        at += 1 + (hello[at] & 0xff);          // cookie
        at += 2 + ((hello[at] & 0xff) << 8 | (hello[at + 1] & 0xff)); // cipher_suites
        at += 1 + (hello[at] & 0xff);          // compression_methods
        int end = at + 2 + ((hello[at] & 0xff) << 8 | (hello[at + 1] & 0xff));
        for (at += 2; at + 4 <= end; at += 4 + ((hello[at + 2] & 0xff) << 8 | (hello[at + 3] & 0xff))) {
            if (((hello[at] & 0xff) << 8 | (hello[at + 1] & 0xff)) == type) {
                return at;
            }
        }
        return -1;
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
