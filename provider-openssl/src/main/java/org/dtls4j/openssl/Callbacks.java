package org.dtls4j.openssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.PreSharedKey;
import org.dtls4j.spi.PeerCertificates;

/**
 * The native-to-Java callbacks, one static instance of each for the life of the JVM (a
 * collected JNA callback makes native calls fail silently). Each finds its session by the
 * {@code SSL} pointer it is given. None lets an exception escape into OpenSSL: a failure
 * is reported as OpenSSL's own "no".
 */
final class Callbacks {

    private static final System.Logger LOG = System.getLogger(Callbacks.class.getName());
    private static final ByteBuffer NO_PARAMETERS = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** DTLS1_COOKIE_LENGTH in OpenSSL 1.1+: the room a generate callback has. */
    private static final int MAX_COOKIE = 255;

    static final LibSsl.InfoCallback INFO = (ssl, where, ret) -> {
        if ((where & LibSsl.SSL_CB_ALERT) == 0) {
            return;
        }
        OpenSslSession s = OpenSslSession.forSsl(ssl);
        if (s != null) {
            s.alert((where & LibSsl.SSL_CB_WRITE) != 0, (ret >> 8) & 0xff, ret & 0xff);
        }
    };

    static final LibSsl.TimerCallback TIMER = (ssl, previousMicros) -> {
        OpenSslSession s = OpenSslSession.forSsl(ssl);
        if (s == null) {
            return 1_000_000;
        }
        return (int) s.nextTimerMicros(previousMicros & 0xffffffffL);
    };

    static final LibSsl.CookieGenerateCallback COOKIE_GENERATE = (ssl, cookie, cookieLength) -> {
        try {
            OpenSslSession s = OpenSslSession.forSsl(ssl);
            if (s == null) {
                return 0;
            }
            byte[] c = s.config().cookieAuthority().generate(s.peer(), NO_PARAMETERS.duplicate());
            if (c.length == 0 || c.length > MAX_COOKIE) {
                return 0;
            }
            cookie.write(0, c, 0, c.length);
            cookieLength.setInt(0, c.length);
            return 1;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cookie generation failed", e);
            return 0;
        }
    };

    static final LibSsl.CookieVerifyCallback COOKIE_VERIFY = (ssl, cookie, cookieLength) -> {
        try {
            OpenSslSession s = OpenSslSession.forSsl(ssl);
            if (s == null || cookieLength <= 0) {
                return 0;
            }
            byte[] c = cookie.getByteArray(0, cookieLength);
            return s.acceptsCookie(c) ? 1 : 0;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cookie verification failed", e);
            return 0;
        }
    };

    /**
     * Replaces OpenSSL's chain verification: the shared validator decides, so every provider
     * accepts and refuses alike, and a refusal becomes the X509 error whose alert it means;
     * except for a server's client chains where libssl's own check is the same ({@link NativeTrust}).
     */
    static final LibSsl.CertVerifyCallback CERT_VERIFY = (storeCtx, arg) -> {
        try {
            Pointer ssl = LibSsl.X509_STORE_CTX_get_ex_data(storeCtx, LibSsl.SSL_get_ex_data_X509_STORE_CTX_idx());
            OpenSslSession s = ssl == null ? null : OpenSslSession.forSsl(ssl);
            if (s == null) {
                LibSsl.X509_STORE_CTX_set_error(storeCtx, LibSsl.X509_V_ERR_CERT_REJECTED);
                return 0;
            }
            if (s.role() == DtlsRole.SERVER && NativeTrust.decides(s.config())) {
                return NativeTrust.verify(storeCtx, s);
            }
            List<java.security.cert.X509Certificate> chain = Certificates.of(LibSsl.X509_STORE_CTX_get0_untrusted(storeCtx));
            try {
                PeerCertificates.validate(s.config(), s.role(), chain, s.hostNameToVerify());
                return 1;
            } catch (PeerCertificates.RefusedException refused) {
                s.refused(refused);
                LibSsl.X509_STORE_CTX_set_error(storeCtx, x509Error(refused.alert()));
                return 0;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "certificate verification failed", e);
            LibSsl.X509_STORE_CTX_set_error(storeCtx, LibSsl.X509_V_ERR_CERT_REJECTED);
            return 0;
        }
    };

    static final LibSsl.AlpnSelectCallback ALPN_SELECT = (ssl, out, outLength, in, inLength, arg) -> {
        try {
            OpenSslSession s = OpenSslSession.forSsl(ssl);
            if (s == null) {
                return LibSsl.SSL_TLSEXT_ERR_ALERT_FATAL;
            }
            byte[] offered = in.getByteArray(0, inLength);
            for (byte[] mine : s.applicationProtocols()) { // server preference
                for (int at = 0; at < offered.length; at += 1 + (offered[at] & 0xff)) {
                    int n = offered[at] & 0xff;
                    if (n == mine.length && at + 1 + n <= offered.length
                            && Arrays.equals(offered, at + 1, at + 1 + n, mine, 0, n)) {
                        out.setPointer(0, in.share(at + 1));
                        outLength.setByte(0, (byte) n);
                        return LibSsl.SSL_TLSEXT_ERR_OK;
                    }
                }
            }
            return LibSsl.SSL_TLSEXT_ERR_ALERT_FATAL; // no_application_protocol (RFC 7301)
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ALPN selection failed", e);
            return LibSsl.SSL_TLSEXT_ERR_ALERT_FATAL;
        }
    };

    static final LibSsl.PskClientCallback PSK_CLIENT = (ssl, hint, identity, maxIdentity, psk, maxPsk) -> {
        try {
            OpenSslSession s = OpenSslSession.forSsl(ssl);
            Optional<PreSharedKey> key = s == null ? Optional.empty() : s.config().preSharedKey();
            if (key.isEmpty()) {
                return 0;
            }
            byte[] id = key.get().identity();
            byte[] k = key.get().key();
            if (id.length + 1 > maxIdentity || k.length > maxPsk) {
                return 0;
            }
            identity.write(0, id, 0, id.length);
            identity.setByte(id.length, (byte) 0);
            psk.write(0, k, 0, k.length);
            Arrays.fill(k, (byte) 0);
            return k.length;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "PSK client callback failed", e);
            return 0;
        }
    };

    static final LibSsl.PskServerCallback PSK_SERVER = (ssl, identity, psk, maxPsk) -> {
        try {
            OpenSslSession s = OpenSslSession.forSsl(ssl);
            DtlsConfig config = s == null ? null : s.config();
            if (config == null || config.pskKeyStore().isEmpty() || identity == null) {
                return 0;
            }
            long end = identity.indexOf(0, (byte) 0);
            byte[] id = identity.getByteArray(0, (int) Math.max(0, end));
            Optional<byte[]> key = config.pskKeyStore().get().keyFor(id);
            if (key.isEmpty() || key.get().length > maxPsk) {
                return 0; // OpenSSL answers unknown_psk_identity
            }
            byte[] k = key.get();
            psk.write(0, k, 0, k.length);
            return k.length;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "PSK server callback failed", e);
            return 0;
        }
    };

    private Callbacks() {
    }

    /** The X509 error whose alert OpenSSL sends (its ssl_x509err2alert) for the alert we mean. */
    static int x509Error(org.dtls4j.DtlsAlert alert) {
        return switch (alert) {
            case CERTIFICATE_EXPIRED -> LibSsl.X509_V_ERR_CERT_HAS_EXPIRED;
            case UNKNOWN_CA -> LibSsl.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
            case CERTIFICATE_REVOKED -> LibSsl.X509_V_ERR_CERT_REVOKED;
            case HANDSHAKE_FAILURE -> LibSsl.X509_V_ERR_APPLICATION_VERIFICATION;
            // no X509 error is certificate_unknown: OpenSSL's table falls back to it for X509_V_OK
            case CERTIFICATE_UNKNOWN -> LibSsl.X509_V_OK;
            default -> LibSsl.X509_V_ERR_CERT_REJECTED;
        };
    }

    /** Peer chains from OpenSSL's stacks. */
    static final class Certificates {
        private Certificates() {
        }

        static List<java.security.cert.X509Certificate> of(Pointer stack) {
            List<java.security.cert.X509Certificate> out = new ArrayList<>();
            if (stack == null) {
                return out;
            }
            int n = LibSsl.OPENSSL_sk_num(stack);
            for (int i = 0; i < n; i++) {
                out.add(parse(OpenSslContext.Der.of(LibSsl.OPENSSL_sk_value(stack, i))));
            }
            return out;
        }

        static java.security.cert.X509Certificate parse(byte[] der) {
            try {
                return org.dtls4j.spi.DecodedCertificates.decode(der);
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalStateException("OpenSSL handed over a certificate Java cannot read: " + e, e);
            }
        }
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
