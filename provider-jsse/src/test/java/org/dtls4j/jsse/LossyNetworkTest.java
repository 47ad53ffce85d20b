package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.dtls4j.DtlsConfig;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * Many seeded runs over a network that loses, duplicates and reorders: every handshake
 * completes, no record is delivered twice or corrupted. Virtual time keeps each run to
 * milliseconds; a failure prints its seed, and {@code -Ddtls4j.tck.seed=N} reruns just that one.
 */
class LossyNetworkTest {

    @Test
    void handshakesCompleteAndRecordsArriveAtMostOnceUnderLossDuplicationAndReordering() {
        Long only = Long.getLong("dtls4j.tck.seed");
        long first = only != null ? only : 1;
        long last = only != null ? only : Long.getLong("dtls4j.seeds", 200);
        java.util.List<String> failed = new java.util.ArrayList<>();
        for (long seed = first; seed <= last; seed++) {
            try {
                run(seed, seed % 2 == 0 ? TckPki.get().ecServer() : TckPki.get().rsaServer());
            } catch (AssertionError e) {
                if (only != null) {
                    throw e;
                }
                failed.add(seed + ": " + e.getMessage().lines().limit(4).reduce("", (a, b) -> a + " | " + b));
            }
        }
        assertThat(failed).as("failed seeds").isEmpty();
    }

    private static void run(long seed, org.dtls4j.Credentials serverCredentials) {
        Random random = new Random(seed);
        double loss = 0.1 + random.nextDouble() * 0.25;
        // Every third run fragments the handshake into small datagrams; every fourth
        // authenticates the client too, which lengthens its flight.
        int datagramSize = seed % 3 == 0 ? 400 : 1400;
        DtlsConfig.Builder client = (seed % 4 == 0 ? Configs.mutualClient() : Configs.client())
                .handshakeTimeout(Duration.ofSeconds(60)).maxDatagramSize(datagramSize);
        DtlsConfig.Builder server = Configs.server(serverCredentials).handshakeTimeout(Duration.ofSeconds(60))
                .maxDatagramSize(datagramSize);
        if (seed % 4 == 0) {
            server.peerVerification(org.dtls4j.PeerVerification.REQUIRED);
        }
        run(seed, loss, random, client.build(), server.build());
    }

    private static void run(long seed, double loss, Random random, DtlsConfig client, DtlsConfig server) {
        try (Pair p = Pair.of(client, server).filter((from, bytes) -> random.nextDouble() < loss)
                .chaos(random, 0.1, 0.1).start()) {
            boolean done = p.runUntil(() -> p.client.info().isPresent() && p.server.info().isPresent(),
                    Duration.ofSeconds(60));
            assertThat(done).as("seed %d (loss %.2f): handshake%n%s", seed, loss, p.describe()).isTrue();
            assertThat(p.client.failures()).as("seed %d", seed).isEmpty();
            assertThat(p.server.failures()).as("seed %d", seed).isEmpty();
            for (int i = 0; i < 30; i++) {
                p.client.send(new byte[] {(byte) i, 1});
                p.server.send(new byte[] {(byte) i, 2});
            }
            p.settle(Duration.ofSeconds(1));
            Set<Integer> seen = new HashSet<>();
            for (byte[] r : p.server.records()) {
                assertThat(r).as("seed %d", seed).hasSize(2).endsWith(1);
                assertThat(seen.add((int) r[0])).as("seed %d: record %d delivered twice", seed, r[0]).isTrue();
            }
            assertThat(p.server.records().size()).as("seed %d: most records arrive", seed).isGreaterThan(10);
            assertThat(p.client.records().size()).as("seed %d: most records arrive", seed).isGreaterThan(10);
        }
    }
}
