package org.dtls4j.wolfssl;

import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.ProtocolVersion;

/**
 * The suite list given to {@code wolfSSL_CTX_set_cipher_list}, by IANA name (wolfSSL accepts
 * those). A configuration that enables DTLS 1.3 but names no TLS 1.3 suite (DtlsConfig's
 * defaults are 1.2 suites) gets the three AEAD suites of RFC 8446 after its own, or wolfSSL
 * would have no 1.3 suite to offer.
 *
 * <p>Stateless and thread-safe.
 */
final class CipherSuites {

    /** The TLS 1.3 suites offered by default, in preference order. */
    static final List<String> TLS13_DEFAULTS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private CipherSuites() {
    }

    static boolean isTls13(String suite) {
        return TLS13_DEFAULTS.contains(suite) || suite.equals("TLS_AES_128_CCM_SHA256")
                || suite.equals("TLS_AES_128_CCM_8_SHA256");
    }

    static List<String> forVersions(DtlsConfig config) {
        List<String> out = new ArrayList<>(config.cipherSuites());
        if (config.protocolVersions().contains(ProtocolVersion.DTLS_1_3) && out.stream().noneMatch(CipherSuites::isTls13)) {
            out.addAll(TLS13_DEFAULTS);
        }
        return out;
    }
}
