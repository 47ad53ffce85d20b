package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.TransportConnectionIds;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.HelloRetryCookies;

/**
 * A {@link DtlsContext} over two {@code WOLFSSL_CTX}s, one per role (a wolfSSL method fixes
 * the side): credentials, suites and the verify callback, shared by that role's sessions;
 * and the DTLS 1.2 cookie secret every server session of the context shares, with which it
 * mints wolfSSL's cookies for the api's listener ({@link BackendCookies}); and the clients'
 * resumption cache ({@link ClientSessions}).
 *
 * <p>Thread-safe. wolfSSL reference-counts a {@code WOLFSSL_CTX}, so sessions made before
 * {@link #close()} keep working after it.
 */
final class WolfSslContext implements DtlsContext, BackendCookies, HelloRetryCookies, TransportConnectionIds {

    /** The safety net for native objects whose owner was abandoned without close(); one daemon thread. */
    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "dtls4j-wolfssl-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** A DTLS record header plus the largest expansion of the AEAD suites offered: 8 explicit nonce + 16 tag. */
    static final int MAX_EXPANSION = 13 + 8 + 16;

    private final String providerName;
    private final DtlsConfig config;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private final byte[] cookieSecret = new byte[32];
    private final Dtls12Cookies cookies;
    private final Dtls13Cookies retryCookies;
    private final ServerSessions serverSessions;
    private final Object clientChainLock = new Object();
    private final Object serverChainLock = new Object();
    private volatile boolean closed;

    /** The two native contexts, freed exactly once (by close() or the Cleaner). */
    private static final class Handle implements Runnable {
        Pointer client;
        Pointer server;
        final ClientSessions clientSessions = new ClientSessions();

        @Override
        public void run() {
            clientSessions.run();
            if (client != null) {
                LibWolfSsl.wolfSSL_CTX_free(client);
                NativeObjects.COUNTS.freed(NativeObjects.Type.WOLFSSL_CTX);
                client = null;
            }
            if (server != null) {
                LibWolfSsl.wolfSSL_CTX_free(server);
                NativeObjects.COUNTS.freed(NativeObjects.Type.WOLFSSL_CTX);
                server = null;
            }
        }
    }

    private WolfSslContext(String providerName, DtlsConfig config, Handle handle, LongSupplier nanoClock) {
        this.providerName = providerName;
        this.retryCookies = new Dtls13Cookies(this, nanoClock);
        this.config = config;
        this.handle = handle;
        this.serverSessions = new ServerSessions(SharedTickets.of(config));
        this.cleanable = CLEANER.register(this, handle);
        new SecureRandom().nextBytes(cookieSecret);
        this.cookies = new Dtls12Cookies(cookieSecret);
    }

    static WolfSslContext create(String providerName, DtlsConfig config) {
        return create(providerName, config, System::nanoTime);
    }

    /** A context whose DTLS 1.3 cookie secrets rotate by {@code nanoClock}; for tests. */
    static WolfSslContext create(String providerName, DtlsConfig config, LongSupplier nanoClock) {
        Handle h = new Handle();
        try {
            boolean v12 = config.protocolVersions().contains(ProtocolVersion.DTLS_1_2);
            boolean v13 = config.protocolVersions().contains(ProtocolVersion.DTLS_1_3);
            h.client = newCtx(!v13 ? LibWolfSsl.wolfDTLSv1_2_client_method()
                    : v12 ? LibWolfSsl.wolfDTLS_client_method() : LibWolfSsl.wolfDTLSv1_3_client_method(), config, providerName);
            h.server = newCtx(!v13 ? LibWolfSsl.wolfDTLSv1_2_server_method()
                    : v12 ? LibWolfSsl.wolfDTLS_server_method() : LibWolfSsl.wolfDTLSv1_3_server_method(), config, providerName);
            SessionExtensions.configureContext(h.client, config, DtlsRole.CLIENT);
            SessionExtensions.configureContext(h.server, config, DtlsRole.SERVER);
        } catch (RuntimeException e) {
            h.run();
            throw e;
        }
        return new WolfSslContext(providerName, config, h, nanoClock);
    }

    private static Pointer newCtx(Pointer method, DtlsConfig config, String providerName) {
        Pointer ctx = LibWolfSsl.wolfSSL_CTX_new(method); // takes ownership of the method
        if (ctx == null) {
            throw new DtlsConfigurationException("wolfSSL_CTX_new failed");
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.WOLFSSL_CTX);
        try {
            if (config.protocolVersions().contains(ProtocolVersion.DTLS_1_3)
                    && config.protocolVersions().contains(ProtocolVersion.DTLS_1_2)) {
                check(LibWolfSsl.wolfSSL_CTX_SetMinVersion(ctx, LibWolfSsl.WOLFSSL_DTLSV1_2), "wolfSSL_CTX_SetMinVersion");
            }
            // IANA names, which wolfSSL takes; the TLS 1.3 suites come from the config like the others
            String suites = String.join(":", config.cipherSuites());
            if (LibWolfSsl.wolfSSL_CTX_set_cipher_list(ctx, suites) != LibWolfSsl.WOLFSSL_SUCCESS) {
                throw new DtlsConfigurationException("none of the configured cipher suites " + config.cipherSuites()
                        + " is offered by provider '" + providerName + "' (wolfSSL_CTX_set_cipher_list refused them)");
            }
            config.credentials().ifPresent(c -> useCredentials(ctx, c));
            // The shared validator decides (Callbacks.VERIFY); no CA is loaded into wolfSSL,
            // so wolfSSL reports every chain as unverified and the callback always runs.
            LibWolfSsl.wolfSSL_CTX_set_verify(ctx, LibWolfSsl.WOLFSSL_VERIFY_PEER, Callbacks.VERIFY);
            return ctx;
        } catch (RuntimeException e) {
            LibWolfSsl.wolfSSL_CTX_free(ctx);
            NativeObjects.COUNTS.freed(NativeObjects.Type.WOLFSSL_CTX);
            throw e;
        }
    }

    private static void useCredentials(Pointer ctx, Credentials credentials) {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : credentials.certificateChain()) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new DtlsConfigurationException("cannot encode a certificate of the chain: " + e, e);
            }
        }
        byte[] chain = pem.toString().getBytes(StandardCharsets.US_ASCII);
        int r = LibWolfSsl.wolfSSL_CTX_use_certificate_chain_buffer_format(ctx, chain, chain.length,
                LibWolfSsl.WOLFSSL_FILETYPE_PEM);
        if (r != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsConfigurationException("wolfSSL refused the certificate chain: " + Failures.reason(r));
        }
        byte[] pkcs8 = credentials.privateKey().getEncoded();
        if (pkcs8 == null) {
            throw new DtlsConfigurationException("the private key cannot be exported (" + credentials.keyAlgorithm()
                    + "); provider 'wolfssl' needs its PKCS#8 encoding");
        }
        try {
            r = LibWolfSsl.wolfSSL_CTX_use_PrivateKey_buffer(ctx, pkcs8, pkcs8.length, LibWolfSsl.WOLFSSL_FILETYPE_ASN1);
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
        if (r != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsConfigurationException("wolfSSL refused the private key: " + Failures.reason(r));
        }
    }

    private static void check(int r, String what) {
        if (r != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsConfigurationException(what + " failed: " + Failures.reason(r));
        }
    }

    @Override
    public String providerName() {
        return providerName;
    }

    @Override
    public DtlsConfig config() {
        return config;
    }

    @Override
    public DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener) {
        return newSession(DtlsRole.CLIENT, peer, listener);
    }

    @Override
    public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
        return newSession(DtlsRole.SERVER, peer, listener);
    }

    /** A server session that asks its client for the transport's connection ID. */
    @Override
    public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener, byte[] connectionId) {
        SessionPreconditions.requireIssuedConnectionId(config, connectionId);
        return newSession(DtlsRole.SERVER, peer, listener, connectionId);
    }

    private DtlsSession newSession(DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener) {
        return newSession(role, peer, listener, null);
    }

    private DtlsSession newSession(DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener, byte[] connectionId) {
        SessionPreconditions.requireCreatable(config, role, peer, listener, closed);
        return WolfSslSession.create(this, role, peer, listener, connectionId);
    }

    /**
     * Forgets the CAs wolfSSL learnt from peers' chains. When the verify callback accepts an
     * intermediate, wolfSSL adds it to the context's certificate manager as a trusted CA
     * ({@code AddCA(..., WOLFSSL_CHAIN_CA, ...)} in internal.c's {@code ProcessPeerCerts}); a
     * later leaf it signed would then verify inside wolfSSL without the callback, that is
     * without the shared validator. {@code wolfSSL_CTX_UnloadIntermediateCerts} refuses
     * while sessions hold the context, so the certificate manager's own call is used.
     */
    void forgetPeerIntermediates(DtlsRole role) {
        Pointer ctx = ctx(role);
        if (ctx != null) {
            Pointer cm = LibWolfSsl.wolfSSL_CTX_GetCertManager(ctx);
            if (cm != null) {
                LibWolfSsl.wolfSSL_CertManagerUnloadIntermediateCerts(cm);
            }
        }
    }

    /** The DTLS 1.2 session IDs this context's servers issued. */
    ServerSessions serverSessions() {
        return serverSessions;
    }

    /** The client sessions this context's clients resume, by server address. */
    ClientSessions clientSessions() {
        return handle.clientSessions;
    }

    /** Held by a session of {@code role} across a handshake call that may verify a peer chain. */
    Object chainLock(DtlsRole role) {
        return role == DtlsRole.CLIENT ? clientChainLock : serverChainLock;
    }

    /** The native context of {@code role}'s sessions. */
    Pointer ctx(DtlsRole role) {
        return role == DtlsRole.CLIENT ? handle.client : handle.server;
    }

    /**
     * wolfSSL's own DTLS 1.2 cookie for this ClientHello ({@link Dtls12Cookies}): a fresh
     * server session of this context accepts the ClientHello that carries it, with no second
     * HelloVerifyRequest.
     */
    @Override
    public Optional<byte[]> cookieFor(ByteBuffer clientHello) {
        return cookies.cookieFor(clientHello);
    }

    /**
     * wolfSSL's stateless DTLS 1.3 HelloRetryRequest ({@link Dtls13Cookies}), its cookie bound
     * to {@code client}'s address.
     */
    @Override
    public List<ByteBuffer> helloRetryRequest(ByteBuffer clientHello, InetSocketAddress client) {
        if (closed || !config.protocolVersions().contains(ProtocolVersion.DTLS_1_3)) {
            return List.of();
        }
        return retryCookies.helloRetryRequest(clientHello, client);
    }

    @Override
    public ReturnedCookie returnedCookie(ByteBuffer clientHello, InetSocketAddress client) {
        return retryCookies.returnedCookie(clientHello, client);
    }

    Dtls13Cookies dtls13Cookies() {
        return retryCookies;
    }

    byte[] cookieSecret() {
        return cookieSecret;
    }

    int maxRecordSizeBeforeHandshake() {
        return Math.min(WolfSslSession.MAX_PLAINTEXT, config.maxDatagramSize() - MAX_EXPANSION);
    }

    @Override
    public void close() {
        synchronized (handle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "WolfSslContext[" + providerName + (closed ? ", closed" : "") + "]";
    }
}
