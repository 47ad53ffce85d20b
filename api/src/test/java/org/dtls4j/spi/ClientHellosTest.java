package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.dtls4j.TestRandom;
import org.dtls4j.spi.ClientHellos.Verdict;
import org.junit.jupiter.api.Test;

public class ClientHellosTest {

    /** A DTLS 1.2 ClientHello in one record, with the given cookie and a few extensions. */
    public static byte[] clientHello(byte[] cookie, int messageSeq) {
        return clientHello(cookie, messageSeq, new byte[] {0, 4, (byte) 0xc0, 0x2b, (byte) 0xc0, 0x2f},
                new byte[] {0, 8, 0, 10, 0, 4, 0, 2, 0, 23}); // two suites; supported_groups
    }

    /** A ClientHello in one record with the given cookie, cipher suites (with their length) and extensions (with theirs). */
    public static byte[] clientHello(byte[] cookie, int messageSeq, byte[] suites, byte[] extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xfd});
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 0x11);
        body.writeBytes(random);
        body.write(0); // session id
        body.write(cookie.length);
        body.writeBytes(cookie);
        body.writeBytes(suites);
        body.writeBytes(new byte[] {1, 0}); // null compression
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + hello.length);
        b.put((byte) 22).putShort((short) 0xfefd).putShort((short) 0).putShort((short) 0).putInt(messageSeq);
        b.putShort((short) (12 + hello.length));
        b.put((byte) 1).put((byte) 0).putShort((short) hello.length).putShort((short) messageSeq);
        b.put((byte) 0).putShort((short) 0).put((byte) 0).putShort((short) hello.length);
        b.put(hello);
        return b.array();
    }

    @Test
    void aWholeClientHelloIsReadWithItsCookieAndParameters() {
        byte[] cookie = {1, 2, 3, 4};
        ClientHellos reader = new ClientHellos();
        ByteBuffer d = ByteBuffer.wrap(clientHello(cookie, 1));
        assertThat(reader.read(d)).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.hasCookie()).isTrue();
        assertThat(reader.cookie(d)).containsExactly(cookie);
        assertThat(reader.messageSeq()).isEqualTo(1);
        assertThat(d.position()).as("reading moves nothing").isZero();
    }

    @Test
    void theOfferedSessionIdIsReadAndEmptyWhenNoneIsOffered() {
        byte[] plain = clientHello(new byte[] {9}, 1);
        ClientHellos reader = new ClientHellos();
        ByteBuffer none = ByteBuffer.wrap(plain);
        assertThat(reader.read(none)).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.sessionId(none)).as("no session ID offered").isEmpty();

        byte[] id = {7, 8, 9};
        int at = 13 + 12 + 2 + 32; // record header, handshake header, client_version, random
        ByteBuffer withId = ByteBuffer.allocate(plain.length + id.length);
        withId.put(plain, 0, at).put((byte) id.length).put(id).put(plain, at + 1, plain.length - at - 1).flip();
        int hello = plain.length - 25 + id.length;
        withId.putShort(11, (short) (12 + hello));
        withId.put(14, (byte) 0).putShort(15, (short) hello).put(22, (byte) 0).putShort(23, (short) hello);

        assertThat(reader.read(withId)).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.sessionId(withId)).containsExactly(id);
        assertThat(reader.cookie(withId)).as("the cookie still follows the ID").containsExactly(9);
    }

    @Test
    void theBoundParametersDoNotDependOnTheCookie() {
        ClientHellos reader = new ClientHellos();
        reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0)));
        ByteBuffer without = copy(reader.parameters());
        reader.read(ByteBuffer.wrap(clientHello(new byte[] {9, 9, 9}, 1)));
        assertThat(copy(reader.parameters())).isEqualTo(without);
    }

    @Test
    void theHelloVerifyRequestEchoesTheRecordSequenceAndNeverOutgrowsTheHello() {
        ClientHellos reader = new ClientHellos();
        byte[] hello = clientHello(new byte[0], 0);
        ByteBuffer.wrap(hello).putShort(9, (short) 0x0102);
        reader.read(ByteBuffer.wrap(hello));
        ByteBuffer out = ByteBuffer.allocate(512);
        assertThat(reader.writeHelloVerifyRequest(new byte[32], out)).isTrue();
        assertThat(out.remaining()).isLessThanOrEqualTo(hello.length);
        assertThat(out.get(0)).isEqualTo((byte) 22);
        assertThat(out.getShort(9)).as("record sequence echoed").isEqualTo((short) 0x0102);
        assertThat(out.get(13)).as("HelloVerifyRequest").isEqualTo((byte) 3);
        assertThat(out.getShort(13 + 4)).as("message_seq of the first ClientHello").isZero();
        assertThat(out.get(13 + 12 + 2)).as("cookie length").isEqualTo((byte) 32);
        assertThat(out.remaining()).isEqualTo(13 + 12 + 3 + 32);

        reader.read(ByteBuffer.wrap(hello));
        assertThat(reader.writeHelloVerifyRequest(new byte[255], out)).as("a cookie that would amplify is refused").isFalse();

        reader.read(ByteBuffer.wrap(clientHello(new byte[] {1, 2, 3}, 2)));
        assertThat(reader.writeHelloVerifyRequest(new byte[3], out)).isTrue();
        assertThat(out.getShort(13 + 4)).as("message_seq echoed for a client sent through the exchange again")
                .isEqualTo((short) 2);
    }

    @Test
    void everyTruncationIsAVerdictNotAnException() {
        byte[] hello = clientHello(new byte[] {1, 2, 3}, 1);
        ClientHellos reader = new ClientHellos();
        for (int n = 0; n < hello.length; n++) {
            Verdict v = reader.read(ByteBuffer.wrap(hello, 0, n).slice());
            assertThat(v).as("cut at %d bytes", n).isNotEqualTo(Verdict.CLIENT_HELLO);
        }
    }

    @Test
    void randomCorruptionIsAlwaysAVerdictNotAnException() {
        Random random = TestRandom.create("ClientHellosTest.randomCorruption");
        byte[] hello = clientHello(new byte[] {1, 2, 3}, 1);
        ClientHellos reader = new ClientHellos();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = hello.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt();
            }
            int len = random.nextInt(4) == 0 ? random.nextInt(b.length + 1) : b.length;
            assertThat(reader.read(ByteBuffer.wrap(b, 0, len).slice())).isNotNull();
        }
    }

    @Test
    void whatIsNotAFirstClientHelloFragmentIsNamed() {
        ClientHellos reader = new ClientHellos();
        byte[] hello = clientHello(new byte[0], 0);
        byte[] alert = hello.clone();
        alert[0] = 21;
        assertThat(reader.read(ByteBuffer.wrap(alert))).isEqualTo(Verdict.NOT_HANDSHAKE);
        byte[] tls = hello.clone();
        tls[1] = 3;
        tls[2] = 3;
        assertThat(reader.read(ByteBuffer.wrap(tls))).isEqualTo(Verdict.BAD_VERSION);
        byte[] epoch = hello.clone();
        epoch[4] = 1;
        assertThat(reader.read(ByteBuffer.wrap(epoch))).isEqualTo(Verdict.NOT_EPOCH_ZERO);
        byte[] serverHello = hello.clone();
        serverHello[13] = 2;
        assertThat(reader.read(ByteBuffer.wrap(serverHello))).isEqualTo(Verdict.NOT_CLIENT_HELLO);
        byte[] later = hello.clone();
        later[13 + 8] = 10;
        assertThat(reader.read(ByteBuffer.wrap(later))).isEqualTo(Verdict.NOT_FIRST_FRAGMENT);
        byte[] third = hello.clone();
        third[13 + 5] = ClientHellos.MAX_FIRST_MESSAGE_SEQ;
        assertThat(reader.read(ByteBuffer.wrap(third))).as("a second cookie's ClientHello").isEqualTo(Verdict.CLIENT_HELLO);
        byte[] fourth = hello.clone();
        fourth[13 + 5] = ClientHellos.MAX_FIRST_MESSAGE_SEQ + 1;
        assertThat(reader.read(ByteBuffer.wrap(fourth))).isEqualTo(Verdict.MESSAGE_SEQ_TOO_HIGH);
        byte[] longRecord = hello.clone();
        longRecord[11] = 0x7f;
        assertThat(reader.read(ByteBuffer.wrap(longRecord))).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void aFirstFragmentCutBeforeTheCookieEndsIsTruncated() {
        byte[] hello = clientHello(new byte[20], 1);
        int fragment = 2 + 32 + 1 + 1 + 10; // ends inside the cookie
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(hello, 13 + 12 + fragment));
        b.putShort(11, (short) (12 + fragment));
        b.put(13 + 9, (byte) 0).putShort(13 + 10, (short) fragment);
        assertThat(new ClientHellos().read(b)).isEqualTo(Verdict.TRUNCATED);
    }

    @Test
    void aClientHelloFromAKnownPeerIsRecognised() {
        assertThat(ClientHellos.startsWithClientHello(ByteBuffer.wrap(clientHello(new byte[0], 0)))).isTrue();
        byte[] appData = clientHello(new byte[0], 0);
        appData[0] = 23;
        assertThat(ClientHellos.startsWithClientHello(ByteBuffer.wrap(appData))).isFalse();
        assertThat(ClientHellos.startsWithClientHello(ByteBuffer.allocate(3))).isFalse();
    }

    @Test
    void aCookieTheAuthorityMadeForTheseParametersIsVerifiedAsTheListenerDid() {
        org.dtls4j.DtlsConfig config = org.dtls4j.DtlsConfig.builder().build();
        java.net.InetSocketAddress client = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 5000);
        ClientHellos reader = new ClientHellos();
        reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0)));
        byte[] cookie = config.cookieAuthority().generate(client, reader.parameters());
        byte[] hello = clientHello(cookie, 1);
        assertThat(reader.verifiedCookie(config, client, ByteBuffer.wrap(hello))).hasValueSatisfying(
                c -> assertThat(c).containsExactly(cookie));
        java.net.InetSocketAddress elsewhere = new java.net.InetSocketAddress(client.getAddress(), 5001);
        assertThat(reader.verifiedCookie(config, elsewhere, ByteBuffer.wrap(hello))).as("another port").isEmpty();
        byte[] forged = cookie.clone();
        forged[3] ^= 1;
        assertThat(reader.verifiedCookie(config, client, ByteBuffer.wrap(clientHello(forged, 1)))).as("forged").isEmpty();
        assertThat(reader.verifiedCookie(config, client, ByteBuffer.wrap(clientHello(new byte[0], 0)))).as("none").isEmpty();
    }

    @Test
    void aDtls13ClientHelloIsAClientHelloThatOffersDtls13() {
        byte[] suites = {0, 2, 0x13, 0x01};
        byte[] extensions = {0, 17, 0, 10, 0, 4, 0, 2, 0, 23, 0, 43, 0, 5, 4, (byte) 0xfe, (byte) 0xfc, (byte) 0xfe,
            (byte) 0xfd}; // supported_groups; supported_versions: DTLS 1.3, DTLS 1.2
        ClientHellos reader = new ClientHellos();
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0, suites, extensions))))
                .isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.offersDtls13()).isTrue();
        assertThat(reader.hasCookie()).as("a 1.3 cookie travels in an extension, not in legacy_cookie").isFalse();
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0)))).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.offersDtls13()).as("a DTLS 1.2 ClientHello after it").isFalse();
        byte[] only12 = {0, 7, 0, 43, 0, 3, 2, (byte) 0xfe, (byte) 0xfd};
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0, suites, only12)))).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.offersDtls13()).as("supported_versions without 1.3").isFalse();
        byte[] cut = {0, 40, 0, 43, 0, 5, 4, (byte) 0xfe, (byte) 0xfc};
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0, suites, cut)))).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.offersDtls13()).as("an extension list that runs past the fragment is read as far as it goes")
                .isTrue();
    }

    @Test
    void theCookieADtls13ClientHelloReturnsIsReadFromItsCookieExtension() {
        byte[] suites = {0, 2, 0x13, 0x01};
        byte[] returned = {0, 18, 0, 43, 0, 3, 2, (byte) 0xfe, (byte) 0xfc, 0, 44, 0, 5, 0, 3, 7, 8, 9};
        ClientHellos reader = new ClientHellos();
        ByteBuffer hello = ByteBuffer.wrap(clientHello(new byte[0], 0, suites, returned));
        assertThat(reader.read(hello)).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.retryCookie(hello)).hasValueSatisfying(c -> {
            assertThat(c.remaining()).isEqualTo(3);
            assertThat(c.get(0)).isEqualTo((byte) 7);
            assertThat(c.get(2)).isEqualTo((byte) 9);
            assertThat(c.isReadOnly()).isTrue();
        });
        assertThat(hello.position()).as("not consumed").isZero();
        byte[] lying = {0, 18, 0, 43, 0, 3, 2, (byte) 0xfe, (byte) 0xfc, 0, 44, 0, 5, 0, 9, 7, 8, 9};
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0, suites, lying)))).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.retryCookie(ByteBuffer.wrap(clientHello(new byte[0], 0, suites, lying))))
                .as("a cookie whose length disagrees with its extension's").isEmpty();
        byte[] cut = {0, 40, 0, 43, 0, 3, 2, (byte) 0xfe, (byte) 0xfc, 0, 44, 0, 30, 0, 28, 1};
        ByteBuffer truncated = ByteBuffer.wrap(clientHello(new byte[0], 0, suites, cut));
        assertThat(reader.read(truncated)).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.retryCookie(truncated)).as("a cookie past the fragment's end").isEmpty();
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0)))).isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.retryCookie(ByteBuffer.wrap(clientHello(new byte[0], 0)))).as("none").isEmpty();
    }

    @Test
    void aReaderGrowsForAClientHelloWithManySuitesAndBindsAllOfThem() {
        byte[] suites = new byte[2 + 4000];
        ByteBuffer.wrap(suites).putShort((short) 4000);
        for (int i = 2; i < suites.length; i++) {
            suites[i] = (byte) i;
        }
        ClientHellos reader = new ClientHellos();
        reader.read(ByteBuffer.wrap(clientHello(new byte[0], 0)));
        assertThat(reader.read(ByteBuffer.wrap(clientHello(new byte[] {5}, 1, suites, new byte[0]))))
                .isEqualTo(Verdict.CLIENT_HELLO);
        assertThat(reader.parameters().remaining()).isEqualTo(2 + 32 + 1 + suites.length + 2);
        ByteBuffer p = reader.parameters();
        assertThat(p.get(p.position() + 2 + 32 + 1 + 2 + 3999)).isEqualTo(suites[suites.length - 1]);
    }

    private static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    }
}
