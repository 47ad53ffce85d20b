package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of PEM credential parsing ({@link Pem}, {@link Credentials#fromPem(String, String)}):
 * whatever the text, the only exception is a {@link DtlsConfigurationException} whose message
 * says what is wrong. Seeds ({@code PemFuzzTestInputs/}): the forms {@code openssl} writes,
 * made by {@code FuzzSeeds} (docs/FUZZING.md).
 *
 * <p>Not thread-safe: Jazzer runs one input at a time.
 */
class PemFuzzTest {

    @FuzzTest
    void certificates(byte[] input) {
        String pem = new String(input, StandardCharsets.ISO_8859_1);
        try {
            assertThat(Pem.certificates(pem, "fuzzed PEM")).isNotEmpty();
        } catch (DtlsConfigurationException expected) {
            assertThat(expected.getMessage()).contains("fuzzed PEM");
        }
    }

    @FuzzTest
    void privateKey(byte[] input) {
        String pem = new String(input, StandardCharsets.ISO_8859_1);
        try {
            assertThat(Pem.privateKey(pem, "fuzzed PEM")).isNotNull();
        } catch (DtlsConfigurationException expected) {
            assertThat(expected.getMessage()).contains("fuzzed PEM");
        }
    }

    /** A chain and a key, separated by the first NUL byte of the input. */
    @FuzzTest
    void credentialsFromPem(byte[] input) {
        int nul = 0;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        String chain = new String(Arrays.copyOf(input, nul), StandardCharsets.ISO_8859_1);
        String key = nul < input.length
                ? new String(Arrays.copyOfRange(input, nul + 1, input.length), StandardCharsets.ISO_8859_1) : "";
        try {
            Credentials c = Credentials.fromPem(chain, key);
            assertThat(c.certificateChain()).isNotEmpty();
        } catch (DtlsConfigurationException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
