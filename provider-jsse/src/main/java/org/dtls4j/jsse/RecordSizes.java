package org.dtls4j.jsse;

import java.util.List;
import org.dtls4j.spi.DtlsRecords;

/**
 * How much application data fits one datagram under a cipher suite: the datagram size
 * minus the 13-byte record header minus what the suite's protection adds.
 *
 * <p>The arithmetic mirrors JSSE's own fragment sizing (its {@code calculateFragmentSize}
 * for each cipher type), so that a record of exactly the maximum leaves one
 * {@code wrap} whole; the tests check that for every suite JSSE offers.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordSizes {

    /** TLSPlaintext.length may not exceed 2^14 (RFC 5246 section 6.2.1). */
    static final int MAX_PLAINTEXT = 1 << 14;

    private static final int GCM_EXPLICIT_NONCE = 8;
    private static final int AEAD_TAG = 16;

    private RecordSizes() {
    }

    /**
     * The largest application record that goes out in one datagram of
     * {@code maxDatagramSize} bytes under {@code suite} (an IANA name).
     */
    static int maxPlaintext(String suite, int maxDatagramSize) {
        int room = maxDatagramSize - DtlsRecords.HEADER_SIZE;
        int max;
        if (suite.contains("_GCM_") || suite.endsWith("_CCM")) {
            max = room - GCM_EXPLICIT_NONCE - AEAD_TAG;
        } else if (suite.endsWith("_CCM_8")) {
            max = room - GCM_EXPLICIT_NONCE - 8;
        } else if (suite.contains("CHACHA20_POLY1305")) {
            max = room - AEAD_TAG; // the nonce is implicit (RFC 7905)
        } else if (suite.contains("_CBC_")) {
            // Explicit IV, then whole blocks holding data, MAC and at least the padding
            // length byte; JSSE sizes the fragment so that no padding beyond that byte is needed.
            int block = suite.contains("3DES") || suite.contains("_DES_") ? 8 : 16;
            int blocks = room - block;
            blocks -= blocks % block;
            max = blocks - 1 - macSize(suite);
        } else {
            // An unknown construction: assume the worst of the above (CBC, SHA-384, 16-byte blocks).
            max = room - 16 - 16 - 1 - 48;
        }
        return Math.max(0, Math.min(max, MAX_PLAINTEXT));
    }

    /** The smallest {@link #maxPlaintext} over {@code suites}: the bound before one is negotiated. */
    static int worstCase(List<String> suites, int maxDatagramSize) {
        int min = MAX_PLAINTEXT;
        for (String s : suites) {
            min = Math.min(min, maxPlaintext(s, maxDatagramSize));
        }
        return min;
    }

    private static int macSize(String suite) {
        if (suite.endsWith("_SHA384")) {
            return 48;
        }
        if (suite.endsWith("_SHA256")) {
            return 32;
        }
        if (suite.endsWith("_MD5")) {
            return 16;
        }
        return 20; // _SHA
    }
}
