package org.dtls4j.openssl;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.dtls4j.spi.TicketKeys;

/**
 * Session tickets under the shared keys of {@link org.dtls4j.DtlsConfig#sessionTicketKeys()},
 * through {@code SSL_CTX_set_tlsext_ticket_key_evp_cb} (OpenSSL 3.0): AES-256-CBC and
 * HMAC-SHA256 keyed per generation ({@link TicketKeys}), the ticket named by its generation, so
 * any node with the same keys decrypts it. A ticket of the previous generation is accepted and
 * renewed (the callback answers 2); an older one, or one made under other keys, is refused and
 * the handshake is a full one.
 *
 * <p>Chosen over {@code SSL_CTRL_SET_TLSEXT_TICKET_KEYS}, which holds one key: re-set on
 * rotation it would refuse every ticket of the previous generation. The callback costs one
 * native-to-Java call per ticket made or read, on handshakes only.
 *
 * <p>Thread-safe: the callback holds no state; the keys are the context's.
 */
final class SessionTickets {

    private static final System.Logger LOG = System.getLogger(SessionTickets.class.getName());
    private static final int IV_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    // OSSL_PARAM on LP64: const char *key; unsigned int data_type; void *data; size_t data_size; size_t return_size.
    private static final int PARAM_SIZE = 40;
    private static final int OSSL_PARAM_UTF8_STRING = 4;
    private static final int OSSL_PARAM_OCTET_STRING = 5;
    private static final long OSSL_PARAM_UNMODIFIED = -1L;
    /** Constant C strings for the MAC's parameters, alive for the JVM like the callback. */
    private static final Memory KEY = cString("key");
    private static final Memory DIGEST = cString("digest");
    private static final Memory SHA256 = cString("SHA256");

    /** The one callback instance: a collected JNA callback breaks silently. */
    static final LibSsl.TicketKeyCallback CALLBACK = SessionTickets::ticketKey;

    private SessionTickets() {
    }

    /** Makes the server side of {@code ctx} issue and accept tickets under the context's keys. */
    static void enable(Pointer ctx) {
        if (Native.POINTER_SIZE != 8) {
            throw new org.dtls4j.DtlsConfigurationException("provider 'openssl' has shared session tickets on"
                    + " 64-bit JVMs only; run a 64-bit JVM or leave sessionTicketKeys unset");
        }
        if (LibSsl.SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, CALLBACK) != 1) {
            throw new org.dtls4j.DtlsConfigurationException("OpenSSL could not set the session ticket callback: "
                    + OpenSslErrors.drain() + "; leave sessionTicketKeys unset");
        }
    }

    /** 1: done (encrypt) or decrypted; 2: decrypted, renew it; 0: not one of ours; -1: failed. */
    private static int ticketKey(Pointer ssl, Pointer keyName, Pointer iv, Pointer cipherCtx, Pointer macCtx, int encrypt) {
        try {
            OpenSslSession s = OpenSslSession.forSsl(ssl);
            TicketKeys keys = s == null ? null : s.ticketKeys();
            if (keys == null) {
                return encrypt == 1 ? -1 : 0;
            }
            if (encrypt == 1) {
                TicketKeys.Generation g = keys.current();
                byte[] fresh = new byte[IV_LENGTH];
                RANDOM.nextBytes(fresh);
                keyName.write(0, g.name(), 0, TicketKeys.NAME_LENGTH);
                iv.write(0, fresh, 0, IV_LENGTH);
                if (LibSsl.EVP_EncryptInit_ex(cipherCtx, LibSsl.EVP_aes_256_cbc(), null, g.aesKey(), iv) != 1
                        || !setMacKey(macCtx, g.hmacKey())) {
                    return -1;
                }
                return 1;
            }
            Optional<TicketKeys.Generation> found = keys.forName(keyName.getByteArray(0, TicketKeys.NAME_LENGTH));
            if (found.isEmpty()) {
                return 0;
            }
            TicketKeys.Generation g = found.get();
            if (LibSsl.EVP_DecryptInit_ex(cipherCtx, LibSsl.EVP_aes_256_cbc(), null, g.aesKey(), iv) != 1
                    || !setMacKey(macCtx, g.hmacKey())) {
                return -1;
            }
            return keys.shouldRenew(g) ? 2 : 1;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "session ticket callback failed", e);
            return encrypt == 1 ? -1 : 0;
        }
    }

    /** EVP_MAC_CTX_set_params(mac, {"key": hmacKey, "digest": "SHA256"}). */
    private static boolean setMacKey(Pointer macCtx, byte[] hmacKey) {
        try (Memory params = new Memory(3L * PARAM_SIZE); Memory key = new Memory(hmacKey.length)) {
            params.clear();
            key.write(0, hmacKey, 0, hmacKey.length);
            param(params, 0, KEY, OSSL_PARAM_OCTET_STRING, key, hmacKey.length);
            param(params, 1, DIGEST, OSSL_PARAM_UTF8_STRING, SHA256, SHA256.size() - 1);
            boolean ok = LibSsl.EVP_MAC_CTX_set_params(macCtx, params) == 1;
            key.clear();
            return ok;
        }
    }

    private static void param(Memory params, int index, Pointer name, int type, Pointer data, long size) {
        long at = (long) index * PARAM_SIZE;
        params.setPointer(at, name);
        params.setInt(at + 8, type);
        params.setPointer(at + 16, data);
        params.setLong(at + 24, size);
        params.setLong(at + 32, OSSL_PARAM_UNMODIFIED);
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }
}
