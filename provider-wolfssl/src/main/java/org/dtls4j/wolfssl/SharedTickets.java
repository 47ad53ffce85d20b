package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.SharedKeys;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.TicketKeys;

/**
 * Session tickets under the shared keys of {@link DtlsConfig#sessionTicketKeys()}, through
 * {@code wolfSSL_CTX_set_TicketEncCb}, which DTLS 1.2 ({@code CreateTicket}, {@code
 * DoDecryptTicket}) and DTLS 1.3 (the PSK identity of a resumption) both call. Unlike
 * OpenSSL's callback, which only picks keys, wolfSSL's encrypts: it gets wolfSSL's ticket
 * in place, room for {@code *outLen} bytes (up to 32 more than it holds), and a 32-byte MAC
 * slot. Here: AES-256-CBC (PKCS#5 padding) and HMAC-SHA256 with the keys of a
 * {@link TicketKeys} generation, the key name naming the generation as in the OpenSSL
 * provider; the MAC covers this context's {@linkplain ConfigFacts#clientRequirements requirements}, the key name,
 * the IV, the ciphertext's length and the ciphertext (encrypt-then-MAC). The current
 * generation encrypts; the current and the previous decrypt, the previous asking wolfSSL to
 * renew a DTLS 1.2 ticket ({@code WOLFSSL_TICKET_RET_CREATE}; a 1.3 server sends new tickets
 * after every handshake, and would not resume one answered so); anything else is rejected
 * ({@code WOLFSSL_TICKET_RET_REJECT}) and the handshake is a full one. The tickets are wolfSSL's own
 * format: only wolfSSL nodes read each other's.
 *
 * <p>Why the requirements: a ticket this context's keys decrypt is a session some node of the
 * service made, so it resumes here whatever node made it ({@link ServerSessions}). Nodes of one
 * service share their configuration, but a context with other requirements (client
 * certificates required, other trust anchors) that shares the keys must not resume a session
 * made without them; its MAC does not verify, so it does not.
 *
 * <p>Thread-safe: immutable; the JCE objects are made per ticket (handshakes only).
 */
final class SharedTickets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TicketKeys keys;
    private final byte[] binding;

    SharedTickets(SharedKeys keys, DtlsConfig config) {
        this.keys = new TicketKeys(keys);
        this.binding = ConfigFacts.clientRequirements(config);
    }

    /** The tickets of {@code config}'s server contexts; empty unless it names shared ticket keys. */
    static Optional<SharedTickets> of(DtlsConfig config) {
        return config.sessionTicketKeys().map(k -> new SharedTickets(k, config));
    }

    /** Makes the server side of {@code ctx} protect its tickets with {@link Callbacks#TICKET}. */
    static void enable(Pointer ctx) {
        if (LibWolfSsl.wolfSSL_CTX_set_TicketEncCb(ctx, Callbacks.TICKET) != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsConfigurationException("wolfSSL could not set the session ticket callback"
                    + " (built without HAVE_SESSION_TICKET?); leave sessionTicketKeys unset");
        }
    }

    /** The callback's work ({@code SessionTicketEncCb}): one of the {@code WOLFSSL_TICKET_RET_*}. */
    int onTicket(Pointer keyName, Pointer iv, Pointer mac, boolean encrypt, Pointer ticket, int inLen, Pointer outLen) {
        if (encrypt) {
            Sealed s = seal(ticket.getByteArray(0, inLen), outLen.getInt(0));
            keyName.write(0, s.name(), 0, s.name().length);
            iv.write(0, s.iv(), 0, s.iv().length);
            ticket.write(0, s.ciphertext(), 0, s.ciphertext().length);
            mac.write(0, s.mac(), 0, s.mac().length);
            outLen.setInt(0, s.ciphertext().length);
            return LibWolfSsl.WOLFSSL_TICKET_RET_OK;
        }
        Opened o = open(keyName.getByteArray(0, TicketKeys.NAME_LENGTH), iv.getByteArray(0, LibWolfSsl.WOLFSSL_TICKET_IV_SZ),
                ticket.getByteArray(0, inLen), mac.getByteArray(0, LibWolfSsl.WOLFSSL_TICKET_MAC_SZ));
        if (o == null) {
            return LibWolfSsl.WOLFSSL_TICKET_RET_REJECT;
        }
        byte[] plaintext = o.plaintext();
        ticket.write(0, plaintext, 0, plaintext.length);
        outLen.setInt(0, plaintext.length);
        boolean dtls13 = plaintext.length >= 2 && ((plaintext[0] & 0xff) << 8 | plaintext[1] & 0xff) == LibWolfSsl.DTLS1_3_VERSION;
        Arrays.fill(plaintext, (byte) 0);
        // DTLS 1.3 resumes only a ticket answered OK (CheckPreSharedKeys, tls13.c) and sends new
        // tickets after every handshake anyway; so only a 1.2 ticket is renewed by the answer
        return o.renew() && !dtls13 ? LibWolfSsl.WOLFSSL_TICKET_RET_CREATE : LibWolfSsl.WOLFSSL_TICKET_RET_OK;
    }

    /** A sealed ticket: the generation's name, a fresh IV, the ciphertext and its MAC. */
    record Sealed(byte[] name, byte[] iv, byte[] ciphertext, byte[] mac) {
    }

    /** An opened ticket and whether to replace it (a ticket of the previous generation). */
    record Opened(byte[] plaintext, boolean renew) {
    }

    /** Encrypts {@code plaintext} under the current generation; the ciphertext is at most {@code room} bytes. */
    Sealed seal(byte[] plaintext, int room) {
        TicketKeys.Generation g = keys.current();
        byte[] iv = new byte[LibWolfSsl.WOLFSSL_TICKET_IV_SZ];
        RANDOM.nextBytes(iv);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(g.aesKey(), "AES"), new IvParameterSpec(iv));
            byte[] ciphertext = aes.doFinal(plaintext);
            if (ciphertext.length > room) {
                throw new IllegalStateException("a sealed ticket of " + ciphertext.length + " bytes exceeds wolfSSL's "
                        + room);
            }
            return new Sealed(g.name(), iv, ciphertext, mac(g, iv, ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot seal a ticket with AES-256-CBC: " + e, e);
        }
    }

    /** Decrypts a ticket of the current or the previous generation whose MAC verifies; null for any other. */
    Opened open(byte[] name, byte[] iv, byte[] ciphertext, byte[] mac) {
        Optional<TicketKeys.Generation> found = keys.forName(name);
        if (found.isEmpty() || ciphertext.length == 0 || ciphertext.length % 16 != 0) {
            return null;
        }
        TicketKeys.Generation g = found.get();
        if (!MessageDigest.isEqual(mac(g, iv, ciphertext), Arrays.copyOf(mac, LibWolfSsl.WOLFSSL_TICKET_MAC_SZ))) {
            return null;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(g.aesKey(), "AES"), new IvParameterSpec(iv));
            return new Opened(aes.doFinal(ciphertext), keys.shouldRenew(g));
        } catch (GeneralSecurityException e) {
            return null; // bad padding under a MAC that verified: not a ticket of ours after all
        }
    }

    private byte[] mac(TicketKeys.Generation g, byte[] iv, byte[] ciphertext) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(g.hmacKey(), "HmacSHA256"));
            mac.update(binding);
            mac.update(g.name());
            mac.update(iv);
            mac.update((byte) (ciphertext.length >>> 8));
            mac.update((byte) ciphertext.length);
            return mac.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no usable HmacSHA256", e);
        }
    }
}
