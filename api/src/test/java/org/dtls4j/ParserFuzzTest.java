package org.dtls4j;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.dtls4j.spi.RecordCursorFuzzTest;

/**
 * Every parser fuzz target of the api in one: the first byte of an input picks the target
 * ({@link #TARGETS}, modulo their number), the rest is that target's input. {@code mvn verify}
 * fuzzes this one for a short time (Jazzer fuzzes one test per JVM, and a JVM per target cost
 * more than the stage's budget); its seeds are the targets' own, prefixed
 * ({@code ParserFuzzTestInputs/anyParser/}). To fuzz one target alone for longer, see
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

    @FuzzTest
    void anyParser(byte[] input) {
        if (input.length == 0) {
            return;
        }
        targets.get((input[0] & 0xff) % targets.size()).accept(Arrays.copyOfRange(input, 1, input.length));
    }
}
