package org.dtls4j.openssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dtls4j.spi.DtlsRecords;

/**
 * IANA cipher suite names (what dtls4j speaks) and OpenSSL's own names (what
 * {@code SSL_CTX_set_cipher_list} takes and {@code SSL_CIPHER_get_name} returns), for the
 * DTLS 1.2 suites this provider offers, with each suite's worst-case record expansion.
 *
 * <p>Stateless and thread-safe.
 */
final class CipherSuites {

    /** IANA name to OpenSSL name, in no particular order. */
    static final Map<String, String> OPENSSL_NAMES;
    private static final Map<String, String> IANA_NAMES = new LinkedHashMap<>();

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384");
        m.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305");
        m.put("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256");
        m.put("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384");
        m.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "ECDHE-ECDSA-AES256-CCM");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE-ECDSA-AES128-CCM8");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", "ECDHE-ECDSA-AES256-CCM8");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384");
        m.put("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256");
        m.put("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA");
        m.put("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA");
        m.put("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA");
        m.put("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA");
        m.put("TLS_PSK_WITH_AES_128_GCM_SHA256", "PSK-AES128-GCM-SHA256");
        m.put("TLS_PSK_WITH_AES_256_GCM_SHA384", "PSK-AES256-GCM-SHA384");
        m.put("TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", "PSK-CHACHA20-POLY1305");
        m.put("TLS_PSK_WITH_AES_128_CCM", "PSK-AES128-CCM");
        m.put("TLS_PSK_WITH_AES_128_CCM_8", "PSK-AES128-CCM8");
        m.put("TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-PSK-CHACHA20-POLY1305");
        m.put("TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", "ECDHE-PSK-AES128-CBC-SHA256");
        m.put("TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", "ECDHE-PSK-AES256-CBC-SHA384");
        OPENSSL_NAMES = java.util.Collections.unmodifiableMap(m);
        m.forEach((iana, openssl) -> IANA_NAMES.put(openssl, iana));
    }

    private CipherSuites() {
    }

    /** The OpenSSL name of an IANA suite name, if this provider offers the suite. */
    static Optional<String> openSslName(String iana) {
        return Optional.ofNullable(OPENSSL_NAMES.get(iana));
    }

    /** The IANA name of an OpenSSL suite name, if known. */
    static Optional<String> ianaName(String openSsl) {
        return Optional.ofNullable(IANA_NAMES.get(openSsl));
    }

    /** The OpenSSL cipher list for the configured suites this provider offers, in order. */
    static List<String> openSslNames(List<String> ianaSuites) {
        List<String> out = new ArrayList<>();
        for (String s : ianaSuites) {
            openSslName(s).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The most a record of this suite adds to its plaintext: the header, the explicit nonce
     * or IV, the tag or MAC, and CBC padding.
     */
    static int maxExpansion(String iana) {
        if (iana.endsWith("_CCM_8")) {
            return DtlsRecords.HEADER_SIZE + 8 + 8;
        }
        if (iana.contains("_GCM_") || iana.endsWith("_CCM")) {
            return DtlsRecords.HEADER_SIZE + 8 + 16;
        }
        if (iana.contains("CHACHA20")) {
            return DtlsRecords.HEADER_SIZE + 16;
        }
        int mac = iana.endsWith("SHA384") ? 48 : iana.endsWith("SHA256") ? 32 : 20;
        return DtlsRecords.HEADER_SIZE + 16 + mac + 16;
    }
}
