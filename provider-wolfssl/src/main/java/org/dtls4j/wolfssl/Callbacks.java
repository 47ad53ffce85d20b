package org.dtls4j.wolfssl;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.spi.DecodedCertificates;

/**
 * The native-to-Java callbacks, one static instance of each for the life of the JVM (a
 * collected JNA callback makes native calls fail silently). Each finds its session by the
 * context pointer wolfSSL hands back, which is the session's id ({@link Sessions#forId}).
 * None lets an exception escape into wolfSSL.
 */
final class Callbacks {

    private static final System.Logger LOG = System.getLogger(Callbacks.class.getName());

    /** {@code CallbackIORecv}: the datagram the session is being fed, once; else "want read". */
    static final LibWolfSsl.IoCallback RECV = (ssl, buf, sz, ctx) -> {
        WolfSslSession s = Sessions.forId(Pointer.nativeValue(ctx));
        return s == null ? LibWolfSsl.WOLFSSL_CBIO_ERR_GENERAL : s.io().recv(buf, sz);
    };

    /** {@code CallbackIOSend}: one call is one datagram for the peer. */
    static final LibWolfSsl.IoCallback SEND = (ssl, buf, sz, ctx) -> {
        WolfSslSession s = Sessions.forId(Pointer.nativeValue(ctx));
        return s == null ? LibWolfSsl.WOLFSSL_CBIO_ERR_GENERAL : s.io().send(buf, sz);
    };

    /*
     * WOLFSSL_X509_STORE_CTX of this build (no OPENSSL_EXTRA, no HAVE_EX_DATA; ssl.h):
     * sesChain*, domain*, userCtx*, int error, int error_depth, int discardSessionCerts,
     * int totalCerts, WOLFSSL_BUFFER_INFO* certs {unsigned char* buffer; unsigned int length}.
     */
    private static final int P = Native.POINTER_SIZE;
    private static final int USER_CTX = 2 * P;
    private static final int TOTAL_CERTS = 3 * P + 12;
    private static final int CERTS = 3 * P + 16;
    private static final int BUFFER_INFO = 2 * P;

    /**
     * Replaces wolfSSL's chain verification: no CA is loaded, so wolfSSL finds every chain
     * unverified and calls this, first for each intermediate and then for the leaf; the
     * first call validates the whole chain the peer sent with the shared validator and the
     * later calls repeat its verdict.
     */
    static final LibWolfSsl.VerifyCallback VERIFY = (preverify, store) -> {
        try {
            WolfSslSession s = Sessions.forId(Pointer.nativeValue(store.getPointer(USER_CTX)));
            if (s == null) {
                return 0;
            }
            return s.verifyPeer(() -> chain(store)) ? 1 : 0; // error_depth (3P + 4) need not be read
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "certificate verification failed", e);
            return 0;
        }
    };

    /**
     * Runs in a server once wolfSSL has parsed a ClientHello's extensions, before it picks an
     * ALPN protocol ({@code SNI_Callback} in {@code DoClientHello}, 1.2 and 1.3), for
     * {@link SessionExtensions#clientHelloParsed}. Being set, it also makes wolfSSL keep the
     * SNI name a client sent when the server configured none ({@code TLSX_SNI_Parse}'s
     * "cacheOnly"), for {@code wolfSSL_SNI_GetRequest}. Returns 0: go on, no alert.
     */
    static final LibWolfSsl.SniCallback CLIENT_HELLO = (ssl, alert, arg) -> {
        try {
            WolfSslSession s = bySsl(ssl);
            if (s != null) {
                s.extensions().clientHelloParsed(ssl);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the ClientHello callback failed", e);
        }
        return 0;
    };

    /** The client's PSK: identity and key from its configuration ({@link SessionExtensions#pskForServer}). */
    static final LibWolfSsl.PskClientCallback PSK_CLIENT = (ssl, hint, identity, identityMax, key, keyMax) -> {
        try {
            WolfSslSession s = bySsl(ssl);
            return s == null ? 0 : s.extensions().pskForServer(identity, identityMax, key, keyMax);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the PSK client callback failed", e);
            return 0;
        }
    };

    /** The server's key for the identity a client presented ({@link SessionExtensions#pskForClient}). */
    static final LibWolfSsl.PskServerCallback PSK_SERVER = (ssl, identity, key, keyMax) -> {
        try {
            WolfSslSession s = bySsl(ssl);
            return s == null ? 0 : s.extensions().pskForClient(identity, key, keyMax);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the PSK server callback failed", e);
            return 0;
        }
    };

    /**
     * A server's session tickets under shared keys ({@link SharedTickets}), DTLS 1.2 and 1.3. An
     * encryption that fails is fatal to the handshake (wolfSSL has no ticket to send); a ticket
     * that cannot be decrypted, or a session that cannot be found, is rejected: a full handshake.
     */
    static final LibWolfSsl.TicketEncCallback TICKET = (ssl, keyName, iv, mac, enc, ticket, inLen, outLen, userCtx) -> {
        boolean encrypt = enc != 0;
        try {
            WolfSslSession s = bySsl(ssl);
            return s == null ? refused(encrypt) : s.extensions().ticket(keyName, iv, mac, encrypt, ticket, inLen, outLen);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the session ticket callback failed", e);
            return refused(encrypt);
        }
    };

    /** What the ticket callback answers when it cannot do its work. */
    static int refused(boolean encrypt) {
        return encrypt ? LibWolfSsl.WOLFSSL_TICKET_RET_FATAL : LibWolfSsl.WOLFSSL_TICKET_RET_REJECT;
    }

    /** The session of a {@code WOLFSSL}, through the read context its id was set as; null if gone. */
    private static WolfSslSession bySsl(Pointer ssl) {
        return Sessions.forId(Pointer.nativeValue(LibWolfSsl.wolfSSL_GetIOReadCtx(ssl)));
    }

    private Callbacks() {
    }

    /** The peer's chain as it sent it, leaf first. */
    private static List<X509Certificate> chain(Pointer store) {
        int n = store.getInt(TOTAL_CERTS);
        Pointer certs = store.getPointer(CERTS);
        List<X509Certificate> out = new ArrayList<>(n);
        for (int i = 0; i < n && certs != null; i++) {
            Pointer der = certs.getPointer((long) i * BUFFER_INFO);
            int length = certs.getInt((long) i * BUFFER_INFO + P);
            out.add(parse(der.getByteArray(0, length)));
        }
        return out;
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return DecodedCertificates.decode(der);
        } catch (CertificateException e) {
            throw new IllegalStateException("wolfSSL handed over a certificate Java cannot read: " + e, e);
        }
    }
}
