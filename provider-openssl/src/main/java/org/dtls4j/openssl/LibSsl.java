package org.dtls4j.openssl;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libssl and libcrypto functions this provider calls, bound by JNA direct mapping
 * ({@code Native.register}): about 75 ns a call, against about 290 ns through an
 * interface proxy. Symbols of libcrypto resolve through libssl's handle, which loads it.
 *
 * <p>The constants are OpenSSL 3.0's, copied here so that neither the build nor the tests
 * need OpenSSL's headers. Nothing here is usable before {@link #bind} has run
 * ({@link OpenSslLibrary} does that once).
 */
final class LibSsl {

    // SSL_get_error
    static final int SSL_ERROR_NONE = 0;
    static final int SSL_ERROR_SSL = 1;
    static final int SSL_ERROR_WANT_READ = 2;
    static final int SSL_ERROR_WANT_WRITE = 3;
    static final int SSL_ERROR_SYSCALL = 5;
    static final int SSL_ERROR_ZERO_RETURN = 6;

    // SSL_ctrl / SSL_CTX_ctrl commands
    static final int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    static final int SSL_CTRL_SET_TLSEXT_HOSTNAME = 55;
    static final int DTLS_CTRL_GET_TIMEOUT = 73;
    static final int DTLS_CTRL_HANDLE_TIMEOUT = 74;
    static final int SSL_CTRL_CHAIN_CERT = 89;
    static final int DTLS_CTRL_SET_LINK_MTU = 120;
    static final int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    static final int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;
    static final int TLSEXT_NAMETYPE_HOST_NAME = 0;

    // options
    static final long SSL_OP_NO_QUERY_MTU = 1L << 12;
    static final long SSL_OP_COOKIE_EXCHANGE = 1L << 13;
    static final long SSL_OP_NO_TICKET = 1L << 14;
    static final long SSL_OP_CIPHER_SERVER_PREFERENCE = 1L << 22;
    static final long SSL_OP_NO_RENEGOTIATION = 1L << 30;

    static final int SSL_SESS_CACHE_CLIENT = 0x1;
    static final int SSL_SESS_CACHE_SERVER = 0x2;

    static final int SSL_VERIFY_NONE = 0;
    static final int SSL_VERIFY_PEER = 1;
    static final int SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 2;

    // info callback
    static final int SSL_CB_READ = 0x04;
    static final int SSL_CB_WRITE = 0x08;
    static final int SSL_CB_ALERT = 0x4000;

    // ALPN select callback results
    static final int SSL_TLSEXT_ERR_OK = 0;
    static final int SSL_TLSEXT_ERR_ALERT_FATAL = 2;

    static final int DTLS1_VERSION = 0xFEFF;
    static final int DTLS1_2_VERSION = 0xFEFD;

    // BIO
    static final int BIO_CTRL_RESET = 1;
    static final int BIO_C_SET_BUF_MEM_EOF_RETURN = 130;

    // X509_STORE_CTX errors that OpenSSL turns into the alerts we mean (ssl_x509err2alert)
    static final int X509_V_OK = 0;
    static final int X509_V_ERR_CERT_HAS_EXPIRED = 10;
    static final int X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20;
    static final int X509_V_ERR_CERT_REVOKED = 23;
    static final int X509_V_ERR_CERT_REJECTED = 28;
    static final int X509_V_ERR_APPLICATION_VERIFICATION = 50;

    private LibSsl() {
    }

    /** Binds every native method below to {@code library}; once per JVM. */
    static void bind(NativeLibrary library) {
        Native.register(LibSsl.class, library);
    }

    // --- callbacks (kept in static final fields by their users: a collected callback breaks silently) ---

    interface CertVerifyCallback extends Callback {
        int invoke(Pointer storeCtx, Pointer arg);
    }

    interface CookieGenerateCallback extends Callback {
        int invoke(Pointer ssl, Pointer cookie, Pointer cookieLength);
    }

    interface CookieVerifyCallback extends Callback {
        int invoke(Pointer ssl, Pointer cookie, int cookieLength);
    }

    interface InfoCallback extends Callback {
        void invoke(Pointer ssl, int where, int ret);
    }

    interface TimerCallback extends Callback {
        int invoke(Pointer ssl, int timerMicros);
    }

    interface AlpnSelectCallback extends Callback {
        int invoke(Pointer ssl, Pointer out, Pointer outLength, Pointer in, int inLength, Pointer arg);
    }

    interface PskClientCallback extends Callback {
        int invoke(Pointer ssl, Pointer hint, Pointer identity, int maxIdentityLength, Pointer psk, int maxPskLength);
    }

    interface PskServerCallback extends Callback {
        int invoke(Pointer ssl, Pointer identity, Pointer psk, int maxPskLength);
    }

    /** {@code SSL_CTX_set_tlsext_ticket_key_evp_cb}'s callback (OpenSSL 3.0). */
    interface TicketKeyCallback extends Callback {
        int invoke(Pointer ssl, Pointer keyName, Pointer iv, Pointer cipherCtx, Pointer macCtx, int encrypt);
    }

    // --- version ---
    static native long OpenSSL_version_num();

    // --- SSL_CTX ---
    static native Pointer DTLS_method();

    static native Pointer SSL_CTX_new(Pointer method);

    static native void SSL_CTX_free(Pointer ctx);

    static native long SSL_CTX_ctrl(Pointer ctx, int cmd, long larg, Pointer parg);

    static native long SSL_CTX_set_options(Pointer ctx, long options);

    static native int SSL_CTX_set_cipher_list(Pointer ctx, String ciphers);

    static native int SSL_CTX_use_certificate(Pointer ctx, Pointer x509);

    static native int SSL_CTX_use_PrivateKey(Pointer ctx, Pointer pkey);

    static native int SSL_CTX_check_private_key(Pointer ctx);

    static native void SSL_CTX_set_verify(Pointer ctx, int mode, Pointer callback);

    static native void SSL_CTX_set_cert_verify_callback(Pointer ctx, CertVerifyCallback callback, Pointer arg);

    static native void SSL_CTX_set_cookie_generate_cb(Pointer ctx, CookieGenerateCallback callback);

    static native void SSL_CTX_set_cookie_verify_cb(Pointer ctx, CookieVerifyCallback callback);

    static native void SSL_CTX_set_info_callback(Pointer ctx, InfoCallback callback);

    static native int SSL_CTX_set_alpn_protos(Pointer ctx, byte[] protos, int length);

    static native void SSL_CTX_set_alpn_select_cb(Pointer ctx, AlpnSelectCallback callback, Pointer arg);

    static native int SSL_CTX_set_tlsext_use_srtp(Pointer ctx, String profiles);

    static native void SSL_CTX_set_psk_client_callback(Pointer ctx, PskClientCallback callback);

    static native void SSL_CTX_set_psk_server_callback(Pointer ctx, PskServerCallback callback);

    static native int SSL_CTX_use_psk_identity_hint(Pointer ctx, String hint);

    static native int SSL_CTX_set_session_id_context(Pointer ctx, byte[] context, int length);

    // --- SSL ---
    static native Pointer SSL_new(Pointer ctx);

    static native void SSL_free(Pointer ssl);

    static native void SSL_set_bio(Pointer ssl, Pointer rbio, Pointer wbio);

    static native void SSL_set_verify(Pointer ssl, int mode, Pointer callback);

    static native void SSL_set_connect_state(Pointer ssl);

    static native void SSL_set_accept_state(Pointer ssl);

    static native long SSL_ctrl(Pointer ssl, int cmd, long larg, Pointer parg);

    static native long SSL_set_options(Pointer ssl, long options);

    static native long SSL_clear_options(Pointer ssl, long options);

    // --- session tickets under our own keys ---
    static native int SSL_CTX_set_tlsext_ticket_key_evp_cb(Pointer ctx, TicketKeyCallback callback);

    static native Pointer EVP_aes_256_cbc();

    static native int EVP_EncryptInit_ex(Pointer cipherCtx, Pointer cipher, Pointer engine, byte[] key, Pointer iv);

    static native int EVP_DecryptInit_ex(Pointer cipherCtx, Pointer cipher, Pointer engine, byte[] key, Pointer iv);

    static native int EVP_MAC_CTX_set_params(Pointer macCtx, Pointer params);

    static native int SSL_do_handshake(Pointer ssl);

    static native int SSL_read(Pointer ssl, Pointer buffer, int length);

    static native int SSL_write(Pointer ssl, Pointer buffer, int length);

    static native int SSL_shutdown(Pointer ssl);

    static native int SSL_get_error(Pointer ssl, int ret);

    static native int DTLSv1_listen(Pointer ssl, Pointer clientAddress);

    static native void DTLS_set_timer_cb(Pointer ssl, TimerCallback callback);

    static native long DTLS_get_data_mtu(Pointer ssl);

    static native int SSL_version(Pointer ssl);

    static native Pointer SSL_get_current_cipher(Pointer ssl);

    static native String SSL_CIPHER_get_name(Pointer cipher);

    static native String SSL_CIPHER_standard_name(Pointer cipher);

    static native String OPENSSL_cipher_name(String standardName);

    static native int SSL_session_reused(Pointer ssl);

    static native void SSL_get0_alpn_selected(Pointer ssl, Pointer data, Pointer length);

    static native String SSL_get_servername(Pointer ssl, int type);

    static native Pointer SSL_get_selected_srtp_profile(Pointer ssl);

    /** The handshake state in words, e.g. "SSLv3/TLS read change cipher spec". */
    static native String SSL_state_string_long(Pointer ssl);

    /** The PSK identity a server received or a client sent; null without PSK. */
    static native Pointer SSL_get_psk_identity(Pointer ssl);

    static native int SSL_export_keying_material(Pointer ssl, byte[] out, long outLength, String label,
                                                 long labelLength, byte[] context, long contextLength, int useContext);

    static native Pointer SSL_get_peer_cert_chain(Pointer ssl);

    static native Pointer SSL_get1_peer_certificate(Pointer ssl);

    static native Pointer SSL_get1_session(Pointer ssl);

    static native int SSL_set_session(Pointer ssl, Pointer session);

    static native void SSL_SESSION_free(Pointer session);

    static native int SSL_get_ex_data_X509_STORE_CTX_idx();

    // --- libcrypto: BIO ---
    static native Pointer BIO_s_mem();

    static native Pointer BIO_new(Pointer method);

    static native int BIO_free(Pointer bio);

    static native int BIO_write(Pointer bio, Pointer data, int length);

    static native int BIO_read(Pointer bio, Pointer data, int length);

    static native long BIO_ctrl(Pointer bio, int cmd, long larg, Pointer parg);

    static native long BIO_ctrl_pending(Pointer bio);

    static native Pointer BIO_ADDR_new();

    static native void BIO_ADDR_free(Pointer address);

    // --- libcrypto: errors ---
    static native long ERR_get_error();

    static native void ERR_error_string_n(long error, byte[] buffer, long length);

    static native void ERR_clear_error();

    // --- libcrypto: certificates and keys ---
    static native Pointer d2i_X509(Pointer out, Pointer in, long length);

    static native int i2d_X509(Pointer x509, Pointer out);

    static native void X509_free(Pointer x509);

    static native Pointer d2i_AutoPrivateKey(Pointer out, Pointer in, long length);

    static native void EVP_PKEY_free(Pointer pkey);

    static native int OPENSSL_sk_num(Pointer stack);

    static native Pointer OPENSSL_sk_value(Pointer stack, int index);

    static native Pointer X509_STORE_CTX_get0_untrusted(Pointer storeCtx);

    static native void X509_STORE_CTX_set_error(Pointer storeCtx, int error);

    static native int X509_STORE_CTX_get_error(Pointer storeCtx);

    static native int X509_verify_cert(Pointer storeCtx);

    static native String X509_verify_cert_error_string(long error);

    static native Pointer SSL_CTX_get_cert_store(Pointer ctx);

    static native int X509_STORE_add_cert(Pointer store, Pointer x509);

    static native int X509_STORE_set_flags(Pointer store, long flags);

    static native Pointer X509_STORE_CTX_get_ex_data(Pointer storeCtx, int index);
}
