package org.dtls4j;

import java.util.Random;

/**
 * Seeded randomness for tests: the seed is printed, and {@code -Ddtls4j.tck.seed=N}
 * replays a run.
 */
public final class TestRandom {

    private TestRandom() {
    }

    /** A random source for {@code what}, its seed printed to the test output. */
    public static Random create(String what) {
        long seed = Long.getLong("dtls4j.tck.seed", System.nanoTime());
        System.out.println(what + ": random seed " + seed + " (replay with -Ddtls4j.tck.seed=" + seed + ")");
        return new Random(seed);
    }
}
