package org.dtls4j.openssl;

import java.nio.charset.StandardCharsets;

/**
 * OpenSSL's error queue, which is per thread: cleared before each {@code SSL_*} call and
 * drained after it on the same thread, or a stale entry turns a WANT_READ into a failure.
 */
final class OpenSslErrors {

    private OpenSslErrors() {
    }

    static void clear() {
        LibSsl.ERR_clear_error();
    }

    /** Drains the queue into one line of text; "" when it is empty. */
    static String drain() {
        StringBuilder out = new StringBuilder();
        byte[] buffer = null;
        for (int i = 0; i < 32; i++) {
            long e = LibSsl.ERR_get_error();
            if (e == 0) {
                break;
            }
            if (buffer == null) {
                buffer = new byte[256];
            }
            LibSsl.ERR_error_string_n(e, buffer, buffer.length);
            int n = 0;
            while (n < buffer.length && buffer[n] != 0) {
                n++;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        return out.toString();
    }
}
