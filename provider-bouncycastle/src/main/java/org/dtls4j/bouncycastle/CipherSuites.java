package org.dtls4j.bouncycastle;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.TlsUtils;

/**
 * IANA cipher suite names and BouncyCastle's {@link CipherSuite} codes. BouncyCastle names
 * its constants by the IANA names, so the table is read from that class once.
 *
 * <p>Immutable and thread-safe.
 */
final class CipherSuites {

    private static final Map<String, Integer> BY_NAME;
    private static final Map<Integer, String> BY_CODE;

    static {
        Map<String, Integer> byName = new HashMap<>();
        Map<Integer, String> byCode = new HashMap<>();
        for (Field f : CipherSuite.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("TLS_")) {
                try {
                    int code = f.getInt(null);
                    byName.put(f.getName(), code);
                    byCode.putIfAbsent(code, f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        BY_NAME = Collections.unmodifiableMap(byName);
        BY_CODE = Collections.unmodifiableMap(byCode);
    }

    private CipherSuites() {
    }

    /** BouncyCastle's code for an IANA name, if it knows the suite. */
    static Optional<Integer> code(String ianaName) {
        return Optional.ofNullable(BY_NAME.get(ianaName));
    }

    /** The IANA name of a code; a hex form for codes BouncyCastle does not name. */
    static String name(int code) {
        String n = BY_CODE.get(code);
        return n != null ? n : String.format("0x%04X", code);
    }

    /** The codes of the names BouncyCastle knows, in the given order. */
    static int[] codes(List<String> ianaNames) {
        List<Integer> out = new ArrayList<>();
        for (String n : ianaNames) {
            code(n).ifPresent(out::add);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether the suite authenticates with a pre-shared key. */
    static boolean isPsk(int code) {
        switch (TlsUtils.getKeyExchangeAlgorithm(code)) {
            case KeyExchangeAlgorithm.PSK:
            case KeyExchangeAlgorithm.ECDHE_PSK:
            case KeyExchangeAlgorithm.DHE_PSK:
            case KeyExchangeAlgorithm.RSA_PSK:
                return true;
            default:
                return false;
        }
    }

    /** Whether the suite's server signs with an ECDSA (or EdDSA) key. */
    static boolean isEcdsa(int code) {
        return TlsUtils.getKeyExchangeAlgorithm(code) == KeyExchangeAlgorithm.ECDHE_ECDSA;
    }

    /** Whether the suite's server signs with an RSA key (ephemeral key exchange only). */
    static boolean isRsaSigned(int code) {
        int kx = TlsUtils.getKeyExchangeAlgorithm(code);
        return kx == KeyExchangeAlgorithm.ECDHE_RSA || kx == KeyExchangeAlgorithm.DHE_RSA;
    }
}
