package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.PskKeyStore;
import org.dtls4j.spi.ServerNames;

/**
 * What a session asks of wolfSSL beyond certificates, per capability, and what it reads back
 * once the handshake completes: the {@link DtlsSessionInfo}. SNI: a client sends the
 * configured name, else the peer's host name by {@link ServerNames#forPeer}; a server keeps
 * whatever name it is sent ({@link Callbacks#CLIENT_HELLO}) and reports it. ALPN: a client
 * offers its protocols; wolfSSL's server would pick the client's first protocol it knows
 * ({@code ALPN_find_match}), so a server picks its own preferred protocol among those offered
 * when the ClientHello has been parsed ({@link #clientHelloParsed}) and gives wolfSSL only
 * that one; with none in common it gives its whole list and wolfSSL answers
 * {@code no_application_protocol} (RFC 7301 section 3.2). wolfSSL takes protocol lists
 * comma-separated, so a protocol with a comma is refused when the context is built. SRTP:
 * both roles offer the configured profiles by their RFC names, which are wolfSSL's; in SRTP
 * mode a wolfSSL 1.2 server skips its own HelloVerifyRequest ({@code IsDtlsNotSrtpMode}),
 * which behind the api's listener, whose cookie has been verified already, changes nothing.
 * PSK: the callbacks ({@link Callbacks#PSK_CLIENT}, {@link Callbacks#PSK_SERVER}) take
 * identity and key from the configuration. Resumption ({@link #configureContext}): a client
 * offers the session of {@link ClientSessions}; a server resumes 1.3 by tickets and 1.2 by
 * session ID, admitting only the IDs its context issued ({@link #admit}).
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}.
 */
final class SessionExtensions {

    private final DtlsConfig config;
    private final DtlsRole role;
    /** The SNI name a client sends, "" for none. */
    private final String requestedServerName;
    private final InetSocketAddress peer;
    private final ClientSessions clientSessions;
    private final ServerSessions serverSessions;
    /** The chain the server presented when the session this client offers to resume was made. */
    private ClientSessions.Offered offered = ClientSessions.Offered.NONE;
    private final ConnectionIds connectionIds = new ConnectionIds();
    private final SrtpChoice srtpChoice = new SrtpChoice();
    /** The PSK identity this side sent or accepted, once a PSK callback has run; null before. */
    private byte[] pskIdentity;
    /** Whether a server decrypted a client's ticket under its shared keys in this handshake. */
    private boolean sharedTicketDecrypted;

    SessionExtensions(DtlsConfig config, DtlsRole role, InetSocketAddress peer, ClientSessions clientSessions,
                      ServerSessions serverSessions) {
        this.config = config;
        this.role = role;
        this.peer = peer;
        this.clientSessions = clientSessions;
        this.serverSessions = serverSessions;
        this.requestedServerName = role == DtlsRole.CLIENT && WolfSslCapabilities.has(Capability.SNI)
                ? config.serverName().or(() -> ServerNames.forPeer(peer)).orElse("") : "";
    }

    /** Sets up {@code role}'s native context for the capabilities of {@code config}. */
    static void configureContext(Pointer ctx, DtlsConfig config, DtlsRole role) {
        ConnectionIds.check(config);
        for (String p : config.applicationProtocols()) {
            if (p.indexOf(',') >= 0 || p.indexOf('\0') >= 0) {
                throw new DtlsConfigurationException("provider 'wolfssl' cannot offer the ALPN protocol '" + p
                        + "': wolfSSL_UseALPN takes a comma-separated list; choose a protocol name without a comma");
            }
        }
        if (role == DtlsRole.SERVER && (WolfSslCapabilities.has(Capability.SNI) || WolfSslCapabilities.has(Capability.ALPN)
                || WolfSslCapabilities.has(Capability.SRTP))) {
            LibWolfSsl.wolfSSL_CTX_set_servername_callback(ctx, Callbacks.CLIENT_HELLO);
        }
        // DTLS 1.3 resumes by tickets (under the server context's own keys, or the shared ones),
        // 1.2 by session ID unless the server has shared ticket keys: BouncyCastle clients send no
        // 1.2 ticket, and session IDs need no keys shared (docs/WOLFSSL.md, SESSION_RESUMPTION)
        if (WolfSslCapabilities.has(Capability.SESSION_RESUMPTION) && role == DtlsRole.CLIENT) {
            // a client resumes what ClientSessions keeps, never from wolfSSL's process-wide cache
            LibWolfSsl.wolfSSL_CTX_set_session_cache_mode(ctx, LibWolfSsl.WOLFSSL_SESS_CACHE_OFF);
        } else if (WolfSslCapabilities.has(Capability.SESSION_RESUMPTION) && config.sessionTicketKeys().isEmpty()) {
            // a server finds 1.2 sessions in wolfSSL's process-wide cache, checked by ServerSessions
            LibWolfSsl.wolfSSL_CTX_NoTicketTLSv12(ctx);
        }
        if (config.sessionTicketKeys().isPresent() && role == DtlsRole.SERVER) {
            // 1.2 and 1.3 tickets under the shared keys, which any node of the service decrypts
            SharedTickets.enable(ctx);
        }
        if (role == DtlsRole.CLIENT && WolfSslCapabilities.has(Capability.SHARED_SESSION_TICKETS)
                || config.sessionTicketKeys().isPresent()) {
            // A client offers the 1.2 session_ticket extension, so that another node can resume it.
            // A server with the extension set answers a ticket it refuses with a new one and an
            // empty session ID ("useTicket", TLSX_SessionTicket_Parse), as OpenSSL does; without
            // it a refused ticket gets a fresh 32-byte ID, and a wolfSSL client that sent a ticket
            // takes any ID for a resumption and fails the full handshake that follows
            // (OUT_OF_ORDER_E, DoHandShakeMsgType in internal.c).
            check(LibWolfSsl.wolfSSL_CTX_UseSessionTicket(ctx), "wolfSSL_CTX_UseSessionTicket");
        }
        if (!config.srtpProfiles().isEmpty()
                && LibWolfSsl.wolfSSL_CTX_set_tlsext_use_srtp(ctx, String.join(":", config.srtpProfiles())) != 0) {
            throw new DtlsConfigurationException("wolfSSL refused the SRTP profiles " + config.srtpProfiles());
        }
        if (role == DtlsRole.CLIENT && config.preSharedKey().isPresent()) {
            LibWolfSsl.wolfSSL_CTX_set_psk_client_callback(ctx, Callbacks.PSK_CLIENT);
        }
        if (role == DtlsRole.SERVER && config.pskKeyStore().isPresent()) {
            LibWolfSsl.wolfSSL_CTX_set_psk_server_callback(ctx, Callbacks.PSK_SERVER);
            config.pskIdentityHint().ifPresent(h -> {
                if (LibWolfSsl.wolfSSL_CTX_use_psk_identity_hint(ctx, h) != LibWolfSsl.WOLFSSL_SUCCESS) {
                    throw new DtlsConfigurationException("wolfSSL refused the PSK identity hint '" + h
                            + "' (at most 128 bytes)");
                }
            });
        }
    }

    /** Sets up a new session's {@code ssl} before its handshake; {@code connectionId} as {@link ConnectionIds#offer}. */
    void configure(Pointer ssl, byte[] connectionId) {
        if (WolfSslCapabilities.has(Capability.KEYING_MATERIAL_EXPORTER)) {
            LibWolfSsl.wolfSSL_KeepArrays(ssl); // or wolfSSL frees the master secret the exporter needs
        }
        if (!requestedServerName.isEmpty()) {
            byte[] name = requestedServerName.getBytes(StandardCharsets.US_ASCII);
            check(LibWolfSsl.wolfSSL_UseSNI(ssl, LibWolfSsl.WOLFSSL_SNI_HOST_NAME, name, (short) name.length),
                    "wolfSSL_UseSNI");
        }
        if (role == DtlsRole.CLIENT && !config.applicationProtocols().isEmpty()) {
            useAlpn(ssl, String.join(",", config.applicationProtocols()));
        }
        ConnectionIds.offer(ssl, config, connectionId);
        if (role == DtlsRole.CLIENT && WolfSslCapabilities.has(Capability.SESSION_RESUMPTION)) {
            offered = clientSessions.resumeInto(ssl, peer);
        }
    }

    /**
     * Before wolfSSL reads a datagram of the handshake: a client checks a DTLS 1.2 ServerHello
     * ({@link ConnectionIds}); a server drops from wolfSSL's cache a session that a ClientHello
     * offers and that its context did not make ({@link ServerSessions}).
     */
    void beforeHandshakeDatagram(Pointer ssl, java.nio.ByteBuffer datagram) {
        if (role == DtlsRole.CLIENT && config.connectionIdLength().isPresent()) {
            connectionIds.beforeServerHello(ssl, datagram);
        } else if (role == DtlsRole.SERVER && WolfSslCapabilities.has(Capability.SESSION_RESUMPTION)) {
            byte[] offered = ServerSessions.offeredSessionId(datagram);
            if (offered != null) {
                serverSessions.forgetUnlessIssued(offered);
            }
        }
        if (role == DtlsRole.SERVER && !config.srtpProfiles().isEmpty()) {
            srtpChoice.beforeClientHello(ssl, config, datagram);
        }
    }

    /** The chain to report when a client's session resumed: the one presented when it was made. */
    List<X509Certificate> resumedChain() {
        return offered.chain();
    }

    /**
     * A client keeps its session for the next one to this server ({@link ClientSessions}):
     * when established, and again before it ends, with the DTLS 1.3 tickets that came after.
     */
    void remember(Pointer ssl, List<X509Certificate> peerChain) {
        if (role == DtlsRole.CLIENT && WolfSslCapabilities.has(Capability.SESSION_RESUMPTION)) {
            clientSessions.remember(peer, ssl, peerChain, resumed(ssl), offered);
        }
    }

    /**
     * A client whose handshake failed forgets the session it offered ({@link ClientSessions#forget}),
     * so that its next handshake with this server is a full one.
     */
    void handshakeFailed() {
        if (role == DtlsRole.CLIENT) {
            clientSessions.forget(peer, offered);
        }
    }

    /**
     * In a server, once wolfSSL has parsed a ClientHello, before it answers. With use_srtp a
     * wolfSSL DTLS 1.2 server skips its stateless cookie check ({@code IsDtlsNotSrtpMode},
     * internal.c), and with it {@code DtlsSetSeqNumForReply}, which numbers the answer after the
     * ClientHello: behind the api's listener the ClientHello that carries the cookie is
     * message 1, and a ServerHello numbered 0 fails the client ("unexpected message", OpenSSL's
     * s_client). So the session calls it here. Then ALPN: gives wolfSSL the one protocol to select.
     */
    void clientHelloParsed(Pointer ssl) {
        if (!config.srtpProfiles().isEmpty() && LibWolfSsl.wolfSSL_version(ssl) != LibWolfSsl.DTLS1_3_VERSION) {
            LibWolfSsl.DtlsSetSeqNumForReply(ssl);
        }
        List<String> mine = config.applicationProtocols();
        if (mine.isEmpty()) {
            return;
        }
        PointerByReference list = new PointerByReference();
        short[] size = new short[1];
        if (LibWolfSsl.wolfSSL_ALPN_GetPeerProtocol(ssl, list, size) != LibWolfSsl.WOLFSSL_SUCCESS) {
            return; // the client offered no ALPN: none is negotiated
        }
        List<String> offered;
        try {
            Pointer p = list.getValue();
            offered = p == null ? List.of()
                    : List.of(new String(p.getByteArray(0, size[0] & 0xffff), StandardCharsets.UTF_8).split(","));
        } finally {
            LibWolfSsl.wolfSSL_ALPN_FreePeerProtocol(ssl, list);
        }
        useAlpn(ssl, mine.stream().filter(offered::contains).findFirst().orElse(String.join(",", mine)));
    }

    private static void useAlpn(Pointer ssl, String commaSeparated) {
        byte[] b = commaSeparated.getBytes(StandardCharsets.UTF_8);
        check(LibWolfSsl.wolfSSL_UseALPN(ssl, b, b.length, LibWolfSsl.WOLFSSL_ALPN_FAILED_ON_MISMATCH), "wolfSSL_UseALPN");
    }

    /**
     * For the client's PSK callback: writes the configured identity, NUL-terminated (wolfSSL
     * keeps identities as C strings, so one with a zero byte is refused), and key.
     *
     * @return the key's length, 0 to refuse
     */
    int pskForServer(Pointer identity, int identityMax, Pointer key, int keyMax) {
        PreSharedKey psk = config.preSharedKey().orElse(null);
        if (psk == null) {
            return 0;
        }
        byte[] id = psk.identity();
        byte[] k = psk.key();
        try {
            if (id.length > identityMax || k.length > keyMax || indexOfZero(id) >= 0) {
                return 0;
            }
            identity.write(0, id, 0, id.length);
            identity.setByte(id.length, (byte) 0);
            key.write(0, k, 0, k.length);
            pskIdentity = id;
            return k.length;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * For the server's PSK callback: writes the key the configured store has for the
     * identity the client presented.
     *
     * @return the key's length, 0 for an identity the store does not know
     */
    int pskForClient(Pointer identity, Pointer key, int keyMax) {
        PskKeyStore store = config.pskKeyStore().orElse(null);
        if (store == null || identity == null) {
            return 0;
        }
        byte[] id = identity.getByteArray(0, (int) Math.max(0, identity.indexOf(0, (byte) 0)));
        byte[] k = store.keyFor(id).orElse(null);
        if (k == null || k.length > keyMax) {
            return 0; // wolfSSL answers unknown_psk_identity
        }
        key.write(0, k, 0, k.length); // not cleared: the array may be the store's own
        pskIdentity = id;
        return k.length;
    }

    /** Whether the completed handshake of {@code ssl} resumed a session. */
    static boolean resumed(Pointer ssl) {
        return WolfSslCapabilities.has(Capability.SESSION_RESUMPTION) && LibWolfSsl.wolfSSL_session_reused(ssl) == 1;
    }

    /**
     * In a server whose handshake has completed: whether its session may stand. A full DTLS 1.2
     * handshake's session ID (from the ServerHello sent) is recorded in {@code issued}; a resumed
     * 1.2 session must have been issued by this context ({@link ServerSessions}) or come from a
     * ticket its shared keys decrypted ({@link SharedTickets}). DTLS 1.3 resumes only by tickets
     * under the context's own keys, or its shared ones.
     */
    boolean admit(Pointer ssl, DtlsSessionInfo info, byte[] sessionId) {
        ServerSessions issued = serverSessions;
        if (role != DtlsRole.SERVER || !WolfSslCapabilities.has(Capability.SESSION_RESUMPTION)
                || info.protocolVersion() != ProtocolVersion.DTLS_1_2) {
            return true;
        }
        if (info.resumed()) {
            return issued.issuedHere(sessionId) || sharedTicketDecrypted;
        }
        if (sessionId.length > 0) {
            issued.issued(sessionId);
        }
        return true;
    }

    /**
     * In a server with shared session tickets, {@link Callbacks#TICKET}'s work: seals or opens
     * a ticket ({@link SharedTickets#onTicket}) and notes a ticket opened for {@link #admit}.
     */
    int ticket(Pointer keyName, Pointer iv, Pointer mac, boolean encrypt, Pointer ticket, int inLen, Pointer outLen) {
        SharedTickets tickets = role == DtlsRole.SERVER ? serverSessions.tickets().orElse(null) : null;
        if (tickets == null) {
            return Callbacks.refused(encrypt);
        }
        int r = tickets.onTicket(keyName, iv, mac, encrypt, ticket, inLen, outLen);
        if (!encrypt && (r == LibWolfSsl.WOLFSSL_TICKET_RET_OK || r == LibWolfSsl.WOLFSSL_TICKET_RET_CREATE)) {
            sharedTicketDecrypted = true;
        }
        return r;
    }

    /** Whether the handshake authenticated with a pre-shared key, so no certificate was judged. */
    boolean usedPsk() {
        return pskIdentity != null;
    }

    private static int indexOfZero(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** What the completed handshake of {@code ssl} negotiated. */
    DtlsSessionInfo info(Pointer ssl, boolean dtls13, List<X509Certificate> peerChain) {
        String suite = LibWolfSsl.wolfSSL_get_cipher_name_iana(ssl);
        ProtocolVersion version = dtls13 && LibWolfSsl.wolfSSL_version(ssl) == LibWolfSsl.DTLS1_3_VERSION
                ? ProtocolVersion.DTLS_1_3 : ProtocolVersion.DTLS_1_2;
        DtlsSessionInfo.Builder b = DtlsSessionInfo.builder(version, suite == null ? "" : suite);
        b.peerCertificates(peerChain);
        b.serverName(role == DtlsRole.CLIENT ? requestedServerName : receivedServerName(ssl));
        b.resumed(resumed(ssl));
        b.srtpProfile(srtpProfile(ssl));
        connectionIds.report(ssl, config, b);
        b.applicationProtocol(selectedProtocol(ssl));
        if (pskIdentity != null) {
            b.pskIdentity(pskIdentity);
        }
        return b.build();
    }

    private String srtpProfile(Pointer ssl) {
        if (config.srtpProfiles().isEmpty()) {
            return "";
        }
        Pointer profile = LibWolfSsl.wolfSSL_get_selected_srtp_profile(ssl);
        Pointer name = profile == null ? null : profile.getPointer(0);
        return name == null ? "" : name.getString(0, StandardCharsets.US_ASCII.name());
    }

    private String selectedProtocol(Pointer ssl) {
        if (config.applicationProtocols().isEmpty()) {
            return "";
        }
        PointerByReference name = new PointerByReference();
        short[] size = new short[1];
        if (LibWolfSsl.wolfSSL_ALPN_GetProtocol(ssl, name, size) != LibWolfSsl.WOLFSSL_SUCCESS || name.getValue() == null) {
            return "";
        }
        return new String(name.getValue().getByteArray(0, size[0] & 0xffff), StandardCharsets.UTF_8);
    }

    private static String receivedServerName(Pointer ssl) {
        if (!WolfSslCapabilities.has(Capability.SNI)) {
            return "";
        }
        PointerByReference data = new PointerByReference();
        int n = LibWolfSsl.wolfSSL_SNI_GetRequest(ssl, LibWolfSsl.WOLFSSL_SNI_HOST_NAME, data) & 0xffff;
        Pointer p = data.getValue();
        return n == 0 || p == null ? "" : new String(p.getByteArray(0, n), StandardCharsets.US_ASCII);
    }

    /** Throws unless wolfSSL answered {@code WOLFSSL_SUCCESS}. */
    static void check(int r, String what) {
        if (r != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsException(what + " failed: " + Failures.reason(r));
        }
    }
}
