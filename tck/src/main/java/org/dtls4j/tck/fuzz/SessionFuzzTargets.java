package org.dtls4j.tck.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/**
 * The TCK's coverage-guided fuzz targets for a provider's server session
 * ({@code DtlsSession.receive}): before the handshake, mid-handshake after a real first flight,
 * and established. A provider's test module runs them with one class:
 * <pre>{@code class MySessionFuzzTest implements SessionFuzzTargets {
 *     public DtlsProvider provider() { return new MyProvider(); }
 * }}</pre>
 * and keeps its seeds in {@code MySessionFuzzTestInputs/<method>/} (docs/FUZZING.md). Each
 * input is decoded and checked by {@link SessionFuzzer}; the targets are skipped, with the
 * reason, where the provider is unavailable on this machine.
 *
 * <p>Implementations need not be thread-safe: Jazzer runs one input at a time.
 *
 * @since 0.1
 */
public interface SessionFuzzTargets {

    /** The provider whose server sessions are fuzzed. */
    DtlsProvider provider();

    /**
     * Closes what the fuzzers hold once the class is done, so nothing outlives it, and fails if a
     * session any input made is still reachable, or {@link #anyState} left a target out.
     */
    @AfterAll
    static void closeFuzzers() {
        SessionFuzzer.closeAll();
    }

    /** A server session that has begun its handshake and seen nothing yet. */
    @FuzzTest
    default void beforeHandshake(byte[] input) {
        fuzzer().beforeHandshake(input);
    }

    /** A server session that has answered a real client's ClientHello (with a cookie) with its flight. */
    @FuzzTest
    default void midHandshake(byte[] input) {
        fuzzer().midHandshake(input);
    }

    /** An established server session, fed records its real client produced, then mutated. */
    @FuzzTest
    default void established(byte[] input) {
        fuzzer().established(input);
    }

    /**
     * The three targets in one, for a short fuzzing run in every build (Jazzer fuzzes one test
     * per JVM): the first byte picks {@link #beforeHandshake}, {@link #midHandshake} or
     * {@link #established} (modulo 3), the rest is that target's input. Its seeds are theirs,
     * prefixed ({@link FuzzSeeds}). The inputs each target got are printed once the class is
     * done, which fails if one got none ({@link SessionFuzzer#anyState}).
     */
    @FuzzTest
    default void anyState(byte[] input) {
        if (input.length > 0) {
            fuzzer().anyState(input);
        }
    }

    private SessionFuzzer fuzzer() {
        DtlsProvider p = provider();
        Assumptions.assumeTrue(p.availability().isAvailable(), () -> p.name() + " is not available here: "
                + p.availability());
        return SessionFuzzer.of(p);
    }
}
