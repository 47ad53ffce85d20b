package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.dtls4j.spi.TicketKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedKeysTest {

    private static final Duration PERIOD = Duration.ofMinutes(5);
    /** 2030-01-01T00:00:00Z is a multiple of 300 s: the start of a generation. */
    private static final Instant GENERATION_START = Instant.parse("2030-01-01T00:00:00Z");
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final ByteBuffer HELLO = ByteBuffer.wrap(new byte[] {(byte) 0xfe, (byte) 0xfd, 1, 2, 3});

    private final MutableClock clock = new MutableClock(GENERATION_START.plusSeconds(10));

    @TempDir
    Path dir;

    private SharedKeys keys(int fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) fill);
        return SharedKeys.of(secret).withRotation(PERIOD).withClock(clock);
    }

    @Test
    void aCookieOfNodeAVerifiesAtNodeBBuiltFromTheSameKey() {
        CookieAuthority nodeA = CookieAuthority.hmacSha256(keys(7));
        CookieAuthority nodeB = CookieAuthority.hmacSha256(keys(7));

        byte[] cookie = nodeA.generate(CLIENT, HELLO);

        assertThat(nodeB.verify(CLIENT, HELLO, cookie)).as("node B checks node A's cookie").isTrue();
    }

    @Test
    void aCookieDoesNotVerifyUnderAnotherKey() {
        byte[] cookie = CookieAuthority.hmacSha256(keys(7)).generate(CLIENT, HELLO);

        assertThat(CookieAuthority.hmacSha256(keys(8)).verify(CLIENT, HELLO, cookie)).as("another key file").isFalse();
    }

    @Test
    void theCookieOfThePreviousGenerationVerifiesAndAnOlderOneDoesNot() {
        CookieAuthority nodeA = CookieAuthority.hmacSha256(PERIOD, keys(7));
        CookieAuthority nodeB = CookieAuthority.hmacSha256(PERIOD, keys(7));
        clock.set(GENERATION_START.plus(PERIOD).minusSeconds(1));
        byte[] cookie = nodeA.generate(CLIENT, HELLO);

        clock.set(GENERATION_START.plus(PERIOD).plusSeconds(1));
        assertThat(nodeB.verify(CLIENT, HELLO, cookie)).as("in the next generation, at another node").isTrue();

        clock.set(GENERATION_START.plus(PERIOD.multipliedBy(2)));
        assertThat(nodeB.verify(CLIENT, HELLO, cookie)).as("two generations later").isFalse();
    }

    @Test
    void generationsFollowTheClock() {
        SharedKeys k = keys(1);
        long g = k.generation();
        assertThat(g).isEqualTo(GENERATION_START.getEpochSecond() / PERIOD.toSeconds());

        clock.advance(PERIOD);
        assertThat(k.generation()).as("one period later").isEqualTo(g + 1);
    }

    @Test
    void derivedSecretsDependOnLabelGenerationAndKey() {
        SharedKeys k = keys(1);

        assertThat(k.derive("a", 5)).hasSize(32).isEqualTo(keys(1).derive("a", 5));
        assertThat(k.derive("a", 5)).isNotEqualTo(k.derive("b", 5)).isNotEqualTo(k.derive("a", 6))
                .isNotEqualTo(keys(2).derive("a", 5));
    }

    @Test
    void ticketKeysOfTheCurrentAndPreviousGenerationAreFoundByNameAndOlderNot() {
        TicketKeys nodeA = new TicketKeys(keys(3));
        TicketKeys nodeB = new TicketKeys(keys(3));
        TicketKeys.Generation made = nodeA.current();

        assertThat(nodeB.forName(made.name())).as("same generation at another node").isPresent()
                .get().satisfies(g -> assertThat(g.aesKey()).isEqualTo(made.aesKey()));
        assertThat(nodeB.shouldRenew(nodeB.forName(made.name()).orElseThrow())).isFalse();

        clock.advance(PERIOD);
        assertThat(nodeB.forName(made.name())).as("one generation later").isPresent();
        assertThat(nodeB.shouldRenew(nodeB.forName(made.name()).orElseThrow())).as("renewed then").isTrue();

        clock.advance(PERIOD);
        assertThat(nodeB.forName(made.name())).as("two generations later").isEmpty();
        assertThat(new TicketKeys(keys(4)).forName(nodeA.current().name())).as("other keys").isEmpty();
    }

    @Test
    void aSecretShorterThan32BytesIsRefused() {
        assertThatThrownBy(() -> SharedKeys.of(new byte[31])).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("at least 32").hasMessageContaining("dtls4j keys --out");
    }

    @Test
    void aRotationBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> keys(1).withRotation(Duration.ofMillis(500)))
                .isInstanceOf(DtlsConfigurationException.class).hasMessageContaining("whole number of seconds");
    }

    @Test
    void aWrittenFileReadsBackOwnerOnly() throws Exception {
        Path file = dir.resolve("keys");

        SharedKeys.writeNew(file);
        SharedKeys a = SharedKeys.read(file).withClock(clock);
        SharedKeys b = SharedKeys.read(file).withClock(clock);

        assertThat(a.derive("x", 1)).as("two reads of one file derive alike").isEqualTo(b.derive("x", 1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> SharedKeys.writeNew(file)).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("exists already");
    }

    @Test
    void twoNewFilesHoldDifferentSecrets() {
        SharedKeys.writeNew(dir.resolve("one"));
        SharedKeys.writeNew(dir.resolve("two"));

        assertThat(SharedKeys.read(dir.resolve("one")).derive("x", 1))
                .isNotEqualTo(SharedKeys.read(dir.resolve("two")).derive("x", 1));
    }

    @Test
    void aBadFileIsRefusedWithTheFix() throws Exception {
        Path shortKey = Files.writeString(dir.resolve("short"), Base64.getEncoder().encodeToString(new byte[16]));
        Path notBase64 = Files.writeString(dir.resolve("garbage"), "not*base64!\n");
        Path twoLines = Files.writeString(dir.resolve("two"), "# comment\nAAAA\nBBBB\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SharedKeys.read(shortKey)).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining(shortKey.toString()).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> SharedKeys.read(notBase64)).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> SharedKeys.read(twoLines)).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("exactly one base64 line");
        assertThatThrownBy(() -> SharedKeys.read(dir.resolve("missing"))).isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("cannot read").hasMessageContaining("dtls4j keys --out");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 'A');
        assertThat(SharedKeys.of(secret).toString()).doesNotContain("AAAA").doesNotContain("QUFB");
    }
}
