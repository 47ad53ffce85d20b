package org.dtls4j;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.dtls4j.spi.RecordCursorFuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Every parser fuzz target of the api in one: the first byte of an input picks the target
 * ({@link #TARGETS}, modulo their number), the rest is that target's input. {@code mvn verify}
 * fuzzes this one for a short time (Jazzer fuzzes one test per JVM, and a JVM per target cost
 * more than the stage's budget); its seeds are the targets' own, prefixed
 * ({@code ParserFuzzTestInputs/anyParser/}). The inputs each target got are printed once the
 * class is done, which fails if one got none. To fuzz one target alone for longer, see
 * docs/FUZZING.md.
 *
 * <p>Not thread-safe: Jazzer runs one input at a time.
 */
class ParserFuzzTest {

    private final ClientHelloFuzzTest hellos = new ClientHelloFuzzTest();
    private final PemFuzzTest pem = new PemFuzzTest();
    private final RecordCursorFuzzTest records = new RecordCursorFuzzTest();

    /** The targets in the order the first byte counts them. */
    static final List<String> TARGETS = List.of("ClientHelloFuzzTest#clientHelloAndCookie",
            "ClientHelloFuzzTest#clientHelloReassembly", "spi.RecordCursorFuzzTest#dtls12Records",
            "spi.RecordCursorFuzzTest#connectionIdRecords", "spi.RecordCursorFuzzTest#unifiedHeaders",
            "PemFuzzTest#certificates", "PemFuzzTest#privateKey", "PemFuzzTest#credentialsFromPem");

    private final List<Consumer<byte[]>> targets = List.of(hellos::clientHelloAndCookie, hellos::clientHelloReassembly,
            records::dtls12Records, records::connectionIdRecords, records::unifiedHeaders, pem::certificates,
            pem::privateKey, pem::credentialsFromPem);

    /** How many inputs {@link #anyParser} gave each of {@link #TARGETS}. */
    private static final long[] RUNS = new long[TARGETS.size()];

    @FuzzTest
    void anyParser(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int target = (input[0] & 0xff) % targets.size();
        RUNS[target]++;
        targets.get(target).accept(Arrays.copyOfRange(input, 1, input.length));
    }

    /** Prints the inputs each target got; a target {@link #anyParser} never ran was not fuzzed: that fails. */
    @AfterAll
    static void everyTargetRan() {
        if (Arrays.stream(RUNS).sum() == 0) {
            return;
        }
        StringBuilder line = new StringBuilder("anyParser inputs per target:");
        List<String> never = new ArrayList<>();
        for (int i = 0; i < RUNS.length; i++) {
            line.append(' ').append(TARGETS.get(i)).append(' ').append(RUNS[i]);
            if (RUNS[i] == 0) {
                never.add(TARGETS.get(i));
            }
        }
        System.out.println(line);
        if (!never.isEmpty()) {
            throw new AssertionError("anyParser never ran " + never + ": their seeds are missing from"
                    + " ParserFuzzTestInputs/anyParser or the dispatch is broken, so they were not fuzzed");
        }
    }
}
