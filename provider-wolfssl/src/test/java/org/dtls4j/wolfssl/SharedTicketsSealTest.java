package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.dtls4j.DtlsConfig;
import org.dtls4j.PeerVerification;
import org.dtls4j.SharedKeys;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedTickets}' sealing on its own (no native library): what one node seals another
 * with the same keys and requirements opens; a changed byte, other requirements, other keys or
 * a ticket two generations old do not open; the previous generation opens and asks for renewal.
 */
class SharedTicketsSealTest {

    private static final long SEED = 13L;
    private static final Duration PERIOD = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");

    private final DtlsConfig.Builder server = TckPki.get().serverConfig();
    private final byte[] plaintext = bytes(200, SEED + 1);

    @Test
    void aTicketSealedAtOneNodeOpensAtAnotherWithTheSameKeysAndRequirements() {
        SharedTickets.Sealed sealed = node(keys(SEED, START), server).seal(plaintext, plaintext.length + 32);
        assertThat(sealed.ciphertext().length).as("within wolfSSL's room").isLessThanOrEqualTo(plaintext.length + 32);
        SharedTickets.Opened opened = node(keys(SEED, START), server).open(sealed.name(), sealed.iv(), sealed.ciphertext(),
                sealed.mac());
        assertThat(opened).as("the other node opens it").isNotNull();
        assertThat(opened.plaintext()).isEqualTo(plaintext);
        assertThat(opened.renew()).as("a ticket of the current generation is not renewed").isFalse();
    }

    @Test
    void aChangedByteOtherRequirementsOrOtherKeysDoNotOpen() {
        SharedTickets.Sealed s = node(keys(SEED, START), server).seal(plaintext, plaintext.length + 32);
        SharedTickets same = node(keys(SEED, START), server);
        byte[] ciphertext = s.ciphertext().clone();
        ciphertext[7] ^= 1;
        assertThat(same.open(s.name(), s.iv(), ciphertext, s.mac())).as("a changed ciphertext byte").isNull();
        byte[] mac = s.mac().clone();
        mac[0] ^= 1;
        assertThat(same.open(s.name(), s.iv(), s.ciphertext(), mac)).as("a changed MAC byte").isNull();
        byte[] iv = s.iv().clone();
        iv[15] ^= 1;
        assertThat(same.open(s.name(), iv, s.ciphertext(), s.mac())).as("a changed IV byte").isNull();
        SharedTickets strict = node(keys(SEED, START), TckPki.get().serverConfig()
                .trustedCertificates(TckPki.get().caCertificate()).peerVerification(PeerVerification.REQUIRED));
        assertThat(strict.open(s.name(), s.iv(), s.ciphertext(), s.mac())).as("a node that requires client certificates")
                .isNull();
        assertThat(node(keys(SEED + 1, START), server).open(s.name(), s.iv(), s.ciphertext(), s.mac()))
                .as("a node with other keys").isNull();
    }

    @Test
    void aTicketOpensAndIsRenewedInTheNextGenerationAndNotInTheOneAfter() {
        SharedTickets.Sealed s = node(keys(SEED, START), server).seal(plaintext, plaintext.length + 32);
        SharedTickets.Opened next = node(keys(SEED, START.plus(PERIOD)), server).open(s.name(), s.iv(), s.ciphertext(),
                s.mac());
        assertThat(next).as("generation g+1").isNotNull();
        assertThat(next.renew()).as("a ticket of the previous generation is renewed").isTrue();
        assertThat(node(keys(SEED, START.plus(PERIOD.multipliedBy(2))), server)
                .open(s.name(), s.iv(), s.ciphertext(), s.mac())).as("generation g+2").isNull();
    }

    private static SharedTickets node(SharedKeys keys, DtlsConfig.Builder config) {
        return new SharedTickets(keys, config.build());
    }

    private static SharedKeys keys(long seed, Instant now) {
        return SharedKeys.of(bytes(SharedKeys.MIN_SECRET_BYTES, seed)).withRotation(PERIOD)
                .withClock(Clock.fixed(now, ZoneOffset.UTC));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
