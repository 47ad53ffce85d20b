package org.dtls4j.wolfssl;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.spi.ClientHellos;

/**
 * Mints, statelessly and in Java, the DTLS 1.2 cookie wolfSSL 5.9.2 itself would put in its
 * HelloVerifyRequest, so that the api's listener can send wolfSSL's cookie and a fresh
 * server session accepts the ClientHello that echoes it (a ClientHello with any other
 * cookie is answered with a second HelloVerifyRequest, which wolfSSL's own client rejects
 * as a duplicate handshake message). wolfSSL's {@code CreateDtls12Cookie} (dtls.c) is
 * HMAC-SHA256 under the session's cookie secret ({@code wolfSSL_DTLS_SetCookieSecret}) over
 * the peer's address as {@code wolfSSL_dtls_set_peer} gave it (never set here: nothing),
 * client_version, random, and the contents (without their length prefixes) of
 * session_id, cipher_suites and compression_methods.
 *
 * <p>Thread-safe: one {@link Mac} per thread.
 */
final class Dtls12Cookies {

    private final ThreadLocal<Mac> macs;
    /** The listener's threads call in for every cookie-less ClientHello: one reader each. */
    private final ThreadLocal<ClientHellos> readers = ThreadLocal.withInitial(ClientHellos::new);

    Dtls12Cookies(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
            }
        });
    }

    /** wolfSSL's cookie for the ClientHello that starts {@code clientHello}; empty if it is none. */
    Optional<byte[]> cookieFor(ByteBuffer clientHello) {
        ClientHellos reader = readers.get();
        if (reader.read(clientHello) != ClientHellos.Verdict.CLIENT_HELLO) {
            return Optional.empty();
        }
        // parameters: version(2) random(32) session_id<1> cipher_suites<2> compression_methods<1>
        ByteBuffer p = reader.parameters();
        int at = p.position();
        byte[] b = p.array();
        int base = p.arrayOffset() + at;
        Mac mac = macs.get();
        mac.update(b, base, 34);
        int sid = b[base + 34] & 0xff;
        mac.update(b, base + 35, sid);
        int suitesAt = base + 35 + sid;
        int suites = (b[suitesAt] & 0xff) << 8 | (b[suitesAt + 1] & 0xff);
        mac.update(b, suitesAt + 2, suites);
        int compressionAt = suitesAt + 2 + suites;
        mac.update(b, compressionAt + 1, b[compressionAt] & 0xff);
        return Optional.of(mac.doFinal());
    }
}
