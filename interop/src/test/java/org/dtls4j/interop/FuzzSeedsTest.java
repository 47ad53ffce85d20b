package org.dtls4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.fuzz.FuzzSeeds;
import org.junit.jupiter.api.Test;

/**
 * Makes the fuzz tests' seed corpora from real in-memory handshakes of every available
 * provider ({@link FuzzSeeds}) and checks that each target gets seeds. With
 * {@code -Ddtls4j.fuzz.writeSeeds=<repository root>} it also writes them into the source tree,
 * replacing the committed ones (docs/FUZZING.md):
 * <pre>mvn -B -o -q verify -pl interop -am -Dtest=FuzzSeedsTest -Dsurefire.failIfNoSpecifiedTests=false -Ddtls4j.fuzz.writeSeeds=$PWD</pre>
 */
class FuzzSeedsTest {

    /** Each provider's session fuzz test class; its seeds go to that provider's module. */
    private static final Map<String, String> SESSION_FUZZ_TESTS = Map.of(
            "jsse", "org.dtls4j.jsse.JsseSessionFuzzTest",
            "bouncycastle", "org.dtls4j.bouncycastle.BouncyCastleSessionFuzzTest",
            "openssl", "org.dtls4j.openssl.OpenSslSessionFuzzTest",
            "wolfssl", "org.dtls4j.wolfssl.WolfSslSessionFuzzTest");

    @Test
    void everyFuzzTargetGetsSeedsFromRealHandshakes() throws IOException {
        List<DtlsProvider> providers = Dtls.providers();
        FuzzSeeds seeds = FuzzSeeds.of(providers, SESSION_FUZZ_TESTS);
        for (DtlsProvider p : providers) {
            if (!p.availability().isAvailable() || !SESSION_FUZZ_TESTS.containsKey(p.name())) {
                continue;
            }
            String dir = SESSION_FUZZ_TESTS.get(p.name()).replace('.', '/') + "Inputs/";
            for (String target : List.of("beforeHandshake", "midHandshake", "established", "anyState")) {
                assertThat(seeds.pathsUnder(dir + target + "/")).as(p.name() + " " + target).isNotEmpty();
            }
        }
        for (String target : List.of("ClientHelloFuzzTestInputs/clientHelloAndCookie/",
                "ClientHelloFuzzTestInputs/clientHelloReassembly/", "spi/RecordCursorFuzzTestInputs/dtls12Records/",
                "PemFuzzTestInputs/privateKey/", "ParserFuzzTestInputs/anyParser/")) {
            assertThat(seeds.pathsUnder("org/dtls4j/" + target)).as(target).isNotEmpty();
        }
        String root = System.getProperty("dtls4j.fuzz.writeSeeds");
        if (root != null) {
            for (Map.Entry<String, byte[]> f : seeds.files().entrySet()) {
                Path file = Path.of(root).resolve(module(f.getKey())).resolve("src/test/resources").resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, f.getValue());
            }
        }
    }

    /** The module whose tests read a seed: the provider's for session seeds, else the api. */
    private static String module(String path) {
        for (String provider : SESSION_FUZZ_TESTS.keySet()) {
            if (path.startsWith("org/dtls4j/" + provider + "/")) {
                return "provider-" + provider;
            }
        }
        return "api";
    }
}
