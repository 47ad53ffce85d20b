package org.dtls4j.wolfssl;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The wolfSSL functions this provider calls, bound by JNA direct mapping ({@link #bind}) to
 * one loaded library, and the constants of wolfSSL 5.9.2's headers they need. Nothing here
 * may be called before {@link WolfSslLibrary} has bound the class.
 */
final class LibWolfSsl {

    static final int WOLFSSL_SUCCESS = 1;
    static final int WOLFSSL_FILETYPE_PEM = 1;
    static final int WOLFSSL_FILETYPE_ASN1 = 2;
    static final int WOLFSSL_VERIFY_NONE = 0;
    static final int WOLFSSL_VERIFY_PEER = 1;
    static final int WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT = 2;
    static final int WOLFSSL_ERROR_WANT_READ = 2;
    static final int WOLFSSL_ERROR_WANT_WRITE = 3;
    static final int WOLFSSL_ERROR_ZERO_RETURN = 6;
    /** What an I/O callback returns when there is nothing to read (wolfio.h). */
    static final int WOLFSSL_CBIO_ERR_WANT_READ = -2;
    static final int WOLFSSL_CBIO_ERR_GENERAL = -1;

    /** {@code int (*CallbackIORecv)(WOLFSSL*, char* buf, int sz, void* ctx)}, and the send twin. */
    interface IoCallback extends Callback {
        int invoke(Pointer ssl, Pointer buf, int sz, Pointer ctx);
    }

    /** {@code int (*VerifyCallback)(int preverify, WOLFSSL_X509_STORE_CTX*)}. */
    interface VerifyCallback extends Callback {
        int invoke(int preverify, Pointer store);
    }

    private LibWolfSsl() {
    }

    /** Binds the natives of this class to {@code library}; once per JVM. */
    static void bind(NativeLibrary library) {
        Native.register(LibWolfSsl.class, library);
    }

    static native int wolfSSL_Init();

    static native String wolfSSL_lib_version();

    static final int WOLFSSL_DTLSV1_2 = 6;
    /** What {@code wolfSSL_version} answers for DTLS 1.3 and 1.2. */
    static final int DTLS1_3_VERSION = 0xfefc;
    static final int DTLS1_2_VERSION = 0xfefd;

    static native Pointer wolfDTLSv1_2_client_method();

    static native Pointer wolfDTLSv1_3_client_method();

    static native Pointer wolfDTLSv1_3_server_method();

    /** The highest DTLS version this build has, downgrading to older ones a peer asks for. */
    static native Pointer wolfDTLS_client_method();

    static native Pointer wolfDTLS_server_method();

    static native int wolfSSL_CTX_SetMinVersion(Pointer ctx, int version);

    static native int wolfSSL_version(Pointer ssl);

    static native int wolfSSL_send_hrr_cookie(Pointer ssl, byte[] secret, int secretSz);

    /** The peer's address as wolfSSL keeps it: opaque bytes here, which its DTLS 1.3 cookie MAC covers. */
    static native int wolfSSL_dtls_set_peer(Pointer ssl, byte[] peer, int peerSz);

    /**
     * wolfSSL's internal {@code SendAlert} (internal.h, {@code WOLFSSL_LOCAL}), which this cmake
     * build exports; bound only when present ({@link WolfSslLibrary#hasSendAlert}). Protects
     * the alert under the current write epoch, which DTLS 1.3 needs.
     */
    static native int SendAlert(Pointer ssl, int severity, int type);

    static native Pointer wolfDTLSv1_2_server_method();

    static native Pointer wolfSSL_CTX_new(Pointer method);

    static native void wolfSSL_CTX_free(Pointer ctx);

    static native int wolfSSL_CTX_set_cipher_list(Pointer ctx, String list);

    static native int wolfSSL_CTX_use_certificate_chain_buffer_format(Pointer ctx, byte[] in, long sz, int format);

    static native int wolfSSL_CTX_use_PrivateKey_buffer(Pointer ctx, byte[] in, long sz, int format);

    static native void wolfSSL_CTX_set_verify(Pointer ctx, int mode, VerifyCallback cb);

    static native Pointer wolfSSL_CTX_GetCertManager(Pointer ctx);

    static native int wolfSSL_CertManagerUnloadIntermediateCerts(Pointer cm);

    static native Pointer wolfSSL_new(Pointer ctx);

    static native void wolfSSL_free(Pointer ssl);

    static native void wolfSSL_SSLSetIORecv(Pointer ssl, IoCallback cb);

    static native void wolfSSL_SSLSetIOSend(Pointer ssl, IoCallback cb);

    static native void wolfSSL_SetIOReadCtx(Pointer ssl, Pointer ctx);

    static native void wolfSSL_SetIOWriteCtx(Pointer ssl, Pointer ctx);

    static native void wolfSSL_SetCertCbCtx(Pointer ssl, Pointer ctx);

    static native void wolfSSL_set_verify(Pointer ssl, int mode, VerifyCallback cb);

    static native void wolfSSL_dtls_set_using_nonblock(Pointer ssl, int nonblock);

    static native int wolfSSL_dtls_set_mtu(Pointer ssl, short mtu);

    static native int wolfSSL_dtls_set_timeout_init(Pointer ssl, int seconds);

    static native int wolfSSL_dtls_set_timeout_max(Pointer ssl, int seconds);

    static native int wolfSSL_dtls_got_timeout(Pointer ssl);

    static native int wolfSSL_DTLS_SetCookieSecret(Pointer ssl, byte[] secret, int secretSz);

    /** Sends a TLS 1.3 KeyUpdate (update_requested unless it answers one); DTLS switches keys once it is ACKed. */
    static native int wolfSSL_update_keys(Pointer ssl);

    /** Whether DTLS 1.3 ACKs are waiting for the short timeout: {@code wolfSSL_dtls_got_timeout} then sends only them. */
    static native int wolfSSL_dtls13_use_quick_timeout(Pointer ssl);

    static native int wolfSSL_connect(Pointer ssl);

    static native int wolfSSL_accept(Pointer ssl);

    static native int wolfSSL_read(Pointer ssl, Pointer data, int sz);

    static native int wolfSSL_write(Pointer ssl, Pointer data, int sz);

    static native int wolfSSL_shutdown(Pointer ssl);

    static native int wolfSSL_get_error(Pointer ssl, int ret);

    static native Pointer wolfSSL_ERR_reason_error_string(long e);

    /** Fills {@code WOLFSSL_ALERT_HISTORY}: {last_rx.code, last_rx.level, last_tx.code, last_tx.level}. */
    static native int wolfSSL_get_alert_history(Pointer ssl, int[] history);

    static native String wolfSSL_get_version(Pointer ssl);

    static native String wolfSSL_get_cipher_name_iana(Pointer ssl);

    static native int wolfSSL_GetMaxOutputSize(Pointer ssl);

    // --- capabilities beyond certificates (WolfSslCapabilities) ---

    /** {@code CallbackSniRecv}: {@code int (*)(WOLFSSL*, int* alert, void* arg)}; 0 goes on. */
    interface SniCallback extends Callback {
        int invoke(Pointer ssl, Pointer alert, Pointer arg);
    }

    /** The one SNI name type (RFC 6066). */
    static final byte WOLFSSL_SNI_HOST_NAME = 0;

    static native int wolfSSL_UseSNI(Pointer ssl, byte type, byte[] data, short size);

    static native void wolfSSL_CTX_set_servername_callback(Pointer ctx, SniCallback cb);

    /** The SNI name the peer sent, kept by the server: its length, {@code *data} pointing at wolfSSL's copy. */
    static native short wolfSSL_SNI_GetRequest(Pointer ssl, byte type, com.sun.jna.ptr.PointerByReference data);

    static final byte WOLFSSL_ALPN_FAILED_ON_MISMATCH = 4;
    /** What {@code wolfSSL_ALPN_GetProtocol} answers when no protocol was negotiated. */
    static final int WOLFSSL_ALPN_NOT_FOUND = -9;

    /** The read context of {@code ssl}: the session's id here ({@code wolfSSL_SetIOReadCtx}). */
    static native Pointer wolfSSL_GetIOReadCtx(Pointer ssl);

    /** Offers (client) or accepts (server) the protocols of a comma-separated list. */
    static native int wolfSSL_UseALPN(Pointer ssl, byte[] list, int listSz, byte options);

    static native int wolfSSL_ALPN_GetProtocol(Pointer ssl, com.sun.jna.ptr.PointerByReference name, short[] size);

    /** The protocols a client offered, comma-separated, in a buffer the caller frees with the next. */
    static native int wolfSSL_ALPN_GetPeerProtocol(Pointer ssl, com.sun.jna.ptr.PointerByReference list, short[] size);

    static native int wolfSSL_ALPN_FreePeerProtocol(Pointer ssl, com.sun.jna.ptr.PointerByReference list);

    /** Keeps the handshake's arrays (randoms, master secret) after the handshake, for the exporter. */
    static native void wolfSSL_KeepArrays(Pointer ssl);

    static native int wolfSSL_export_keying_material(Pointer ssl, byte[] out, long outLen, byte[] label, long labelLen,
            byte[] context, long contextLen, int useContext);

    /** {@code wc_psk_client_callback}: writes identity (NUL-terminated) and key, returns the key's length, 0 to refuse. */
    interface PskClientCallback extends Callback {
        int invoke(Pointer ssl, Pointer hint, Pointer identity, int identityMax, Pointer key, int keyMax);
    }

    /** {@code wc_psk_server_callback}: writes the key for the identity, returns its length, 0 for an unknown identity. */
    interface PskServerCallback extends Callback {
        int invoke(Pointer ssl, Pointer identity, Pointer key, int keyMax);
    }

    static native void wolfSSL_CTX_set_psk_client_callback(Pointer ctx, PskClientCallback cb);

    static native void wolfSSL_CTX_set_psk_server_callback(Pointer ctx, PskServerCallback cb);

    static native int wolfSSL_CTX_use_psk_identity_hint(Pointer ctx, String hint);

    static final long WOLFSSL_SESS_CACHE_OFF = 0;

    static native long wolfSSL_CTX_set_session_cache_mode(Pointer ctx, long mode);

    /** The session of {@code ssl}, one more reference: the caller frees it with {@link #wolfSSL_SESSION_free}. */
    static native Pointer wolfSSL_get1_session(Pointer ssl);

    /** A new copy of {@code session}, which the caller frees. */
    static native Pointer wolfSSL_SESSION_dup(Pointer session);

    /**
     * Offers {@code session} for resumption. wolfSSL does not copy a heap session: {@code ssl}
     * takes a reference and uses (and changes) that very object.
     */
    static native int wolfSSL_set_session(Pointer ssl, Pointer session);

    static native void wolfSSL_SESSION_free(Pointer session);

    /**
     * Copies the session ticket {@code ssl} holds into {@code buf}, its length into
     * {@code bufSz[0]}; with a null {@code buf} and a size of 0, only the length (and
     * {@code LENGTH_ONLY_E}).
     */
    static native int wolfSSL_get_SessionTicket(Pointer ssl, byte[] buf, int[] bufSz);

    static native int wolfSSL_session_reused(Pointer ssl);

    /** Offers (client) or accepts (server) the colon-separated SRTP profiles; 0 on success, as OpenSSL. */
    static native int wolfSSL_CTX_set_tlsext_use_srtp(Pointer ctx, String profiles);

    /** {@code const WOLFSSL_SRTP_PROTECTION_PROFILE*}: {@code {const char* name; unsigned long id; int kdfBits}}; null for none. */
    static native Pointer wolfSSL_get_selected_srtp_profile(Pointer ssl);

    /** Offers the connection_id extension (RFC 9146; RFC 9147 in 1.3). */
    static native int wolfSSL_dtls_cid_use(Pointer ssl);

    /** The CID the peer is to send to us with; size 0 for none. */
    static native int wolfSSL_dtls_cid_set(Pointer ssl, byte[] cid, int size);

    /** After the handshake: whether both sides sent the extension. */
    static native int wolfSSL_dtls_cid_is_enabled(Pointer ssl);

    static native int wolfSSL_dtls_cid_get_rx_size(Pointer ssl, int[] size);

    static native int wolfSSL_dtls_cid_get_rx(Pointer ssl, byte[] buffer, int bufferSz);

    static native int wolfSSL_dtls_cid_get_tx_size(Pointer ssl, int[] size);

    static native int wolfSSL_dtls_cid_get_tx(Pointer ssl, byte[] buffer, int bufferSz);

    /** {@code DTLS_CID_MAX_SIZE}, compile-time: 10 in 5.9.2's default build. */
    static native int wolfSSL_dtls_cid_max_size();

    /** Points {@code *cid} at wolfSSL's receive CID (after its length byte); leaves it alone when there is none. */
    static native int wolfSSL_dtls_cid_get0_rx(Pointer ssl, com.sun.jna.ptr.PointerByReference cid);

    /**
     * Stages {@code peer} to become the peer address when the next record read deprotects and
     * passes the replay window (RFC 9146 section 6's address update, {@code dtlsProcessPendingPeer}
     * in internal.c); null clears it. Opaque bytes here, as for {@link #wolfSSL_dtls_set_peer}.
     */
    static native int wolfSSL_dtls_set_pending_peer(Pointer ssl, byte[] peer, int peerSz);

    /** Copies the peer address into {@code peer} if {@code peerSz[0]}, its room, is enough; sets its length. */
    static native int wolfSSL_dtls_get_peer(Pointer ssl, byte[] peer, int[] peerSz);

    /** {@code PEER_ORDER} (internal.h): the number of the record being (or last) read. */
    static final int PEER_ORDER = 1;

    /**
     * wolfSSL's internal {@code Dtls13GetSeq} (dtls13.c, {@code WOLFSSL_LOCAL}, exported by this
     * cmake build): with {@link #PEER_ORDER} and no increment, the sequence number of the DTLS 1.3
     * record last read ({@code keys.curSeq}, reconstructed from the header's encrypted low bits)
     * as {@code seq[0]} high and {@code seq[1]} low 32 bits; 0 on success.
     */
    static native int Dtls13GetSeq(Pointer ssl, int order, int[] seq, byte increment);

    /** A server of this context makes no DTLS 1.2 session tickets: 1.2 resumption is by session ID. */
    static native void wolfSSL_CTX_NoTicketTLSv12(Pointer ctx);

    /**
     * {@code SessionTicketEncCb}: {@code int (*)(WOLFSSL*, byte key_name[16], byte iv[16], byte
     * mac[WOLFSSL_TICKET_MAC_SZ], int enc, byte* ticket, int inLen, int* outLen, void* userCtx)}.
     * Encrypts or decrypts {@code ticket} in place; answers one of the {@code WOLFSSL_TICKET_RET_*}.
     */
    interface TicketEncCallback extends Callback {
        int invoke(Pointer ssl, Pointer keyName, Pointer iv, Pointer mac, int enc, Pointer ticket, int inLen,
                   Pointer outLen, Pointer userCtx);
    }

    /** {@code enum TicketEncRet} (ssl.h): fatal error, don't use the ticket. */
    static final int WOLFSSL_TICKET_RET_FATAL = -1;
    /** Use the ticket (decrypt), or it is made (encrypt). */
    static final int WOLFSSL_TICKET_RET_OK = 0;
    /** Don't use the ticket, not fatal: the handshake is a full one. */
    static final int WOLFSSL_TICKET_RET_REJECT = 1;
    /** The ticket is good, and a new one is to be made. */
    static final int WOLFSSL_TICKET_RET_CREATE = 2;
    /** {@code WOLFSSL_TICKET_NAME_SZ} and {@code WOLFSSL_TICKET_IV_SZ}. */
    static final int WOLFSSL_TICKET_NAME_SZ = 16;
    static final int WOLFSSL_TICKET_IV_SZ = 16;
    /** {@code WOLFSSL_TICKET_MAC_SZ} of this build (no {@code WOLFSSL_TICKET_ENC_CBC_HMAC}): room for HMAC-SHA256. */
    static final int WOLFSSL_TICKET_MAC_SZ = 32;

    /** A server of this context encrypts and decrypts its tickets (1.2 and 1.3) with {@code cb}; 1 on success. */
    static native int wolfSSL_CTX_set_TicketEncCb(Pointer ctx, TicketEncCallback cb);

    /** A client of this context offers the DTLS 1.2 session_ticket extension; 1 on success. */
    static native int wolfSSL_CTX_UseSessionTicket(Pointer ctx);

    /**
     * wolfSSL's internal {@code DtlsSetSeqNumForReply} (dtls.c, {@code WOLFSSL_LOCAL}, exported by
     * this cmake build): numbers the server's next handshake message and record after the
     * ClientHello being read, as its stateless cookie check does.
     */
    static native void DtlsSetSeqNumForReply(Pointer ssl);

    /** {@code WOLFSSL_SERVER_END}: the side of a session in wolfSSL's cache. */
    static final byte WOLFSSL_SERVER_END = 0;

    /**
     * wolfSSL's internal cache access (ssl_sess.c, {@code WOLFSSL_LOCAL}, exported by this build),
     * as wolfSSL itself drops an expired session: find the cached session with this 32-byte ID
     * and lock its row for writing (0 and a null session if there is none, the row then unlocked).
     */
    static native int TlsSessionCacheGetAndWrLock(byte[] id, com.sun.jna.ptr.PointerByReference session, int[] row,
            byte side);

    static native void TlsSessionCacheUnlockRow(int row);

    /** Drops a cached session (its row write-locked). */
    static native void EvictSessionFromCache(Pointer session);

    /** The SRTP profiles of one session (replacing its context's); 0 on success, as OpenSSL. */
    static native int wolfSSL_set_tlsext_use_srtp(Pointer ssl, String profiles);
}
