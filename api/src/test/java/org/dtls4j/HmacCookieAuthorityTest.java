package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HmacCookieAuthorityTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(60);
    private static final Duration LIFETIME = Duration.ofMinutes(5);
    /** A secret-generation boundary: 2030-01-01T00:00:00Z is a multiple of 300 s. */
    private static final Instant GENERATION_START = Instant.parse("2030-01-01T00:00:00Z");

    private static final InetSocketAddress CLIENT = address("192.0.2.10", 40000);
    private static final ByteBuffer HELLO = ByteBuffer.wrap(bytes(0xfe, 0xfd, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));

    private MutableClock clock;
    private CookieAuthority authority;

    @BeforeEach
    void newAuthority() {
        clock = new MutableClock(GENERATION_START.plusSeconds(100));
        authority = CookieAuthority.hmacSha256(MAX_AGE, LIFETIME, clock);
    }

    @Test
    void cookieVerifiesForTheSameAddressPortAndParameters() {
        byte[] cookie = authority.generate(CLIENT, HELLO);

        assertThat(authority.verify(CLIENT, HELLO, cookie)).as("cookie checked as it was made").isTrue();
        assertThat(authority.verify(address("192.0.2.10", 40000), ByteBuffer.wrap(copy(HELLO)), cookie))
                .as("equal (not identical) address and parameters").isTrue();
    }

    @Test
    void cookieIsAtMost32Bytes() {
        assertThat(authority.generate(CLIENT, HELLO)).as("cookie size for DTLS 1.0 peers").hasSizeLessThanOrEqualTo(32);
        assertThat(authority.generate(address("2001:db8::1", 5684), ByteBuffer.allocate(4000)))
                .as("an IPv6 client with a large hello").hasSizeLessThanOrEqualTo(32);
    }

    @Test
    void cookieWithAnyBitFlippedFails() {
        byte[] cookie = authority.generate(CLIENT, HELLO);

        for (int i = 0; i < cookie.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] forged = cookie.clone();
                forged[i] ^= (byte) (1 << bit);
                assertThat(authority.verify(CLIENT, HELLO, forged))
                        .as("cookie with bit %d of byte %d flipped", bit, i).isFalse();
            }
        }
    }

    @Test
    void cookieOfTheWrongLengthFails() {
        byte[] cookie = authority.generate(CLIENT, HELLO);

        assertThat(authority.verify(CLIENT, HELLO, new byte[0])).as("empty cookie").isFalse();
        assertThat(authority.verify(CLIENT, HELLO, Arrays.copyOf(cookie, cookie.length - 1))).as("truncated").isFalse();
        assertThat(authority.verify(CLIENT, HELLO, Arrays.copyOf(cookie, cookie.length + 1))).as("extended").isFalse();
    }

    @Test
    void cookieFromAnotherPortIsRejected() {
        byte[] cookie = authority.generate(CLIENT, HELLO);

        assertThat(authority.verify(address("192.0.2.10", 40001), HELLO, cookie)).as("port + 1").isFalse();
        assertThat(authority.verify(address("192.0.2.10", 40000 + 256), HELLO, cookie)).as("port + 256").isFalse();
    }

    @Test
    void cookieFromAnotherAddressIsRejected() {
        byte[] cookie = authority.generate(CLIENT, HELLO);

        assertThat(authority.verify(address("192.0.2.11", 40000), HELLO, cookie)).as("neighbour IPv4").isFalse();
        assertThat(authority.verify(address("2001:db8::c000:20a", 40000), HELLO, cookie)).as("IPv6").isFalse();
    }

    @Test
    void ipv4MappedAddressCountsAsTheSameClient() {
        // A dual-stack socket reports ::ffff:192.0.2.10; Java turns that into the IPv4 address.
        byte[] cookie = authority.generate(CLIENT, HELLO);

        assertThat(authority.verify(address("::ffff:c000:20a", 40000), HELLO, cookie)).isTrue();
    }

    @Test
    void cookieForAnIpv4ClientDoesNotVerifyForAnIpv6ClientWhoseAddressContinuesTheSameBytes() {
        // IPv4 a.b.c.d port p, parameters X: stamp|a b c d|p|X. An IPv6 address made of
        // a b c d, p and X[0..10), port X[10..12) and parameters X[12..) give the same MAC input
        // unless the address length is part of it.
        byte[] params = new byte[20];
        for (int i = 0; i < params.length; i++) {
            params[i] = (byte) (0x30 + i);
        }
        byte[] ipv4 = {(byte) 198, 51, 100, 7};
        int port = 0x1234;
        byte[] ipv6 = new byte[16];
        System.arraycopy(ipv4, 0, ipv6, 0, 4);
        ipv6[4] = 0x12;
        ipv6[5] = 0x34;
        System.arraycopy(params, 0, ipv6, 6, 10);
        int ipv6Port = ((params[10] & 0xff) << 8) | (params[11] & 0xff);
        byte[] cookie = authority.generate(address(ipv4, port), ByteBuffer.wrap(params));

        boolean accepted = authority.verify(address(ipv6, ipv6Port),
                ByteBuffer.wrap(Arrays.copyOfRange(params, 12, params.length)), cookie);

        assertThat(accepted).as("a cookie made for %s verified for another client, %s",
                address(ipv4, port), address(ipv6, ipv6Port)).isFalse();
    }

    @Test
    void cookieWithChangedParametersIsRejected() {
        byte[] hello = copy(HELLO);
        byte[] cookie = authority.generate(CLIENT, ByteBuffer.wrap(hello));

        for (int i = 0; i < hello.length; i++) {
            byte[] changed = hello.clone();
            changed[i] ^= 1;
            assertThat(authority.verify(CLIENT, ByteBuffer.wrap(changed), cookie))
                    .as("parameters with byte %d changed", i).isFalse();
        }
        assertThat(authority.verify(CLIENT, ByteBuffer.wrap(Arrays.copyOf(hello, hello.length - 1)), cookie))
                .as("parameters cut short").isFalse();
        assertThat(authority.verify(CLIENT, ByteBuffer.allocate(0), cookie)).as("no parameters").isFalse();
    }

    @Test
    void emptyParametersWorkForBackendsThatCannotProvideThem() {
        byte[] cookie = authority.generate(CLIENT, ByteBuffer.allocate(0));

        assertThat(authority.verify(CLIENT, ByteBuffer.allocate(0), cookie)).isTrue();
        assertThat(authority.verify(CLIENT, HELLO, cookie)).as("cookie for no parameters, checked with some").isFalse();
    }

    @Test
    void cookieIsAcceptedUpToMaxAgeAndRejectedAfter() {
        byte[] cookie = authority.generate(CLIENT, HELLO);

        clock.advance(MAX_AGE);
        assertThat(authority.verify(CLIENT, HELLO, cookie)).as("cookie exactly maxAge old").isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(authority.verify(CLIENT, HELLO, cookie)).as("cookie maxAge + 1 s old").isFalse();
    }

    @Test
    void cookieFromTheFutureBeyondTheSkewIsRejected() {
        Instant now = clock.instant();
        clock.set(now.plusSeconds(3));
        byte[] farFuture = authority.generate(CLIENT, HELLO);
        clock.set(now.plusSeconds(2));
        byte[] nearFuture = authority.generate(CLIENT, HELLO);
        clock.set(now);

        assertThat(authority.verify(CLIENT, HELLO, nearFuture)).as("stamped 2 s ahead: within the skew").isTrue();
        assertThat(authority.verify(CLIENT, HELLO, farFuture)).as("stamped 3 s ahead: beyond the skew").isFalse();
    }

    @Test
    void cookieStillVerifiesAfterOneSecretRotationWithinMaxAge() {
        clock.set(GENERATION_START.plus(LIFETIME).minusSeconds(10));
        byte[] before = authority.generate(CLIENT, HELLO);

        clock.set(GENERATION_START.plus(LIFETIME).plusSeconds(20)); // next generation, cookie 30 s old
        byte[] after = authority.generate(CLIENT, HELLO);

        assertThat(authority.verify(CLIENT, HELLO, before)).as("cookie from the previous secret").isTrue();
        assertThat(authority.verify(CLIENT, HELLO, after)).as("cookie from the current secret").isTrue();
    }

    @Test
    void cookieFailsAfterTwoSecretRotations() {
        // maxAge = secretLifetime: the longest a cookie can live, so only the rotation limits it.
        CookieAuthority longLived = CookieAuthority.hmacSha256(LIFETIME, LIFETIME, clock);
        clock.set(GENERATION_START.plus(LIFETIME).minusSeconds(1));
        byte[] old = longLived.generate(CLIENT, HELLO);

        clock.set(GENERATION_START.plus(LIFETIME));
        longLived.generate(CLIENT, HELLO);
        assertThat(longLived.verify(CLIENT, HELLO, old)).as("after one rotation").isTrue();

        clock.set(GENERATION_START.plus(LIFETIME.multipliedBy(2)));
        longLived.generate(CLIENT, HELLO);
        assertThat(longLived.verify(CLIENT, HELLO, old)).as("after two rotations").isFalse();
    }

    @Test
    void cookieFromAnotherAuthorityFails() {
        CookieAuthority other = CookieAuthority.hmacSha256(MAX_AGE, LIFETIME, clock);

        byte[] cookie = other.generate(CLIENT, HELLO);

        assertThat(authority.verify(CLIENT, HELLO, cookie)).as("each authority has its own secret").isFalse();
    }

    @Test
    void helloParametersAreNotConsumed() {
        ByteBuffer hello = ByteBuffer.allocateDirect(20);
        hello.put(copy(HELLO)).flip();
        hello.position(2);
        ByteBuffer untouched = hello.duplicate();

        byte[] cookie = authority.generate(CLIENT, hello);
        assertThat(hello).as("buffer after generate").isEqualTo(untouched);
        assertThat(hello.position()).as("position after generate").isEqualTo(2);
        assertThat(hello.limit()).as("limit after generate").isEqualTo(HELLO.remaining());

        assertThat(authority.verify(CLIENT, hello, cookie)).isTrue();
        assertThat(hello.position()).as("position after verify").isEqualTo(2);
        assertThat(hello.limit()).as("limit after verify").isEqualTo(HELLO.remaining());
    }

    @Test
    void onlyTheBytesFromPositionToLimitAreBound() {
        byte[] framed = new byte[HELLO.remaining() + 6];
        System.arraycopy(copy(HELLO), 0, framed, 3, HELLO.remaining());
        ByteBuffer window = ByteBuffer.wrap(framed, 3, HELLO.remaining());

        byte[] cookie = authority.generate(CLIENT, window);

        assertThat(authority.verify(CLIENT, HELLO, cookie)).as("same bytes in another buffer").isTrue();
    }

    @Test
    void manyThreadsGenerateAndVerifyConcurrently() throws Exception {
        Random random = TestRandom.create("manyThreadsGenerateAndVerifyConcurrently");
        int threads = 8;
        int perThread = 500;
        List<Callable<Integer>> tasks = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            long taskSeed = random.nextLong();
            tasks.add(() -> {
                Random r = new Random(taskSeed);
                start.await();
                int failures = 0;
                for (int i = 0; i < perThread; i++) {
                    byte[] ip = new byte[r.nextBoolean() ? 4 : 16];
                    r.nextBytes(ip);
                    InetSocketAddress client = address(ip, r.nextInt(65536));
                    byte[] params = new byte[r.nextInt(100)];
                    r.nextBytes(params);
                    byte[] cookie = authority.generate(client, ByteBuffer.wrap(params));
                    if (!authority.verify(client, ByteBuffer.wrap(params), cookie)) {
                        failures++;
                    }
                }
                return failures;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Callable<Integer> task : tasks) {
                results.add(pool.submit(task));
            }
            start.countDown();
            int failures = 0;
            for (Future<Integer> f : results) {
                failures += f.get(20, TimeUnit.SECONDS);
            }
            assertThat(failures).as("cookies that failed to verify out of %d", threads * perThread).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void maxAgeAboveTheSecretLifetimeIsRefused() {
        assertThatThrownBy(() -> CookieAuthority.hmacSha256(Duration.ofMinutes(10), Duration.ofMinutes(5), Clock.systemUTC()))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("must not exceed secretLifetime")
                .hasMessageContaining("only the previous secret is kept");
    }

    @Test
    void nonPositiveDurationsAreRefused() {
        assertThatThrownBy(() -> CookieAuthority.hmacSha256(Duration.ZERO, LIFETIME, Clock.systemUTC()))
                .isInstanceOf(DtlsConfigurationException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> CookieAuthority.hmacSha256(MAX_AGE, Duration.ofSeconds(-1), Clock.systemUTC()))
                .isInstanceOf(DtlsConfigurationException.class).hasMessageContaining("must be positive");
    }

    @Test
    void defaultAuthorityRoundTripsACookie() {
        CookieAuthority defaults = CookieAuthority.hmacSha256();

        byte[] cookie = defaults.generate(CLIENT, HELLO);

        assertThat(cookie).hasSize(32);
        assertThat(defaults.verify(CLIENT, HELLO, cookie)).isTrue();
    }

    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not a literal: " + literal, e);
        }
    }

    private static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
