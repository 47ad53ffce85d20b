package org.dtls4j.openssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.TicketKeys;

/**
 * A {@link DtlsContext} over one {@code SSL_CTX} of {@code DTLS_method()}: credentials,
 * suites, callbacks and the server's session cache, shared by the sessions of both roles;
 * plus the client's resumption cache, one {@code SSL_SESSION} per peer address for the newest
 * {@value #MAX_CLIENT_SESSIONS} servers, the oldest forgotten first (as wolfSSL's).
 *
 * <p>Thread-safe. The {@code SSL_CTX} is reference-counted by OpenSSL, so sessions made
 * before {@link #close()} keep working after it.
 */
final class OpenSslContext implements DtlsContext {

    /**
     * The safety net for native objects whose owner was abandoned without close(): one
     * daemon thread for the JVM, started when the library loads (before any session exists).
     */
    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "dtls4j-openssl-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** The most servers a client context keeps a session for: unbounded, one per address grew without end. */
    static final int MAX_CLIENT_SESSIONS = 1024;


    private final String providerName;
    private final DtlsConfig config;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    /** ALPN protocols in wire format (length-prefixed), for a server's selection. */
    private final byte[][] alpn;
    /** The largest application record before a suite is negotiated. */
    private final int maxRecordSizeBeforeHandshake;
    /** Client resumption cache: one owned SSL_SESSION per server address, oldest first. Guarded by itself. */
    private final Map<InetSocketAddress, Pointer> sessions;
    /** The shared ticket keys of a server's tickets; null: no tickets issued. */
    private final TicketKeys ticketKeys;
    private volatile boolean closed;

    private OpenSslContext(String providerName, DtlsConfig config, Handle handle, int maxRecordSize) {
        this.providerName = providerName;
        this.config = config;
        this.handle = handle;
        this.sessions = handle.sessions;
        this.cleanable = CLEANER.register(this, handle);
        this.maxRecordSizeBeforeHandshake = maxRecordSize;
        this.ticketKeys = config.sessionTicketKeys().map(TicketKeys::new).orElse(null);
        this.alpn = new byte[config.applicationProtocols().size()][];
        for (int i = 0; i < alpn.length; i++) {
            alpn[i] = config.applicationProtocols().get(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The native state a context owns, freed exactly once (by close() or the Cleaner). */
    private static final class Handle implements Runnable {
        final Pointer ctx;
        final Map<InetSocketAddress, Pointer> sessions = new LinkedHashMap<>();

        Handle(Pointer ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            synchronized (sessions) {
                for (Pointer s : sessions.values()) {
                    LibSsl.SSL_SESSION_free(s);
                    NativeObjects.COUNTS.freed(NativeObjects.Type.SSL_SESSION);
                }
                sessions.clear();
            }
            LibSsl.SSL_CTX_free(ctx);
            NativeObjects.COUNTS.freed(NativeObjects.Type.SSL_CTX);
        }
    }

    static OpenSslContext create(String providerName, DtlsConfig config) {
        List<String> suites = CipherSuites.openSslNames(config.cipherSuites());
        if (suites.isEmpty()) {
            throw new DtlsConfigurationException("none of the configured cipher suites " + config.cipherSuites()
                    + " is offered by provider '" + providerName + "'; it offers " + CipherSuites.OPENSSL_NAMES.keySet());
        }
        int maxExpansion = 0;
        for (String s : config.cipherSuites()) {
            if (CipherSuites.openSslName(s).isPresent()) {
                maxExpansion = Math.max(maxExpansion, CipherSuites.maxExpansion(s));
            }
        }
        OpenSslErrors.clear();
        Pointer ctx = LibSsl.SSL_CTX_new(LibSsl.DTLS_method());
        if (ctx == null) {
            throw new DtlsConfigurationException("SSL_CTX_new failed: " + OpenSslErrors.drain());
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.SSL_CTX);
        Handle handle = new Handle(ctx);
        try {
            configure(ctx, config, suites);
        } catch (RuntimeException e) {
            handle.run();
            throw e;
        }
        return new OpenSslContext(providerName, config, handle, config.maxDatagramSize() - maxExpansion);
    }

    private static void configure(Pointer ctx, DtlsConfig config, List<String> suites) {
        int min = config.protocolVersions().contains(ProtocolVersion.DTLS_1_0) ? LibSsl.DTLS1_VERSION : LibSsl.DTLS1_2_VERSION;
        check(LibSsl.SSL_CTX_ctrl(ctx, LibSsl.SSL_CTRL_SET_MIN_PROTO_VERSION, min, null) == 1, "set the minimum version");
        check(LibSsl.SSL_CTX_ctrl(ctx, LibSsl.SSL_CTRL_SET_MAX_PROTO_VERSION, LibSsl.DTLS1_2_VERSION, null) == 1,
                "set the maximum version");
        // No tickets unless shared ticket keys are configured: resumption uses the server's
        // session cache. A ticket makes the server's last flight so long that OpenSSL, packing
        // it to the datagram size, splits the Finished into fragments, which JSSE then fails to
        // verify (seen at 256 bytes). Clients offer tickets whatever this says (SslHandle).
        // Server preference: a server picks by the configuration's order, as every provider does.
        boolean tickets = config.sessionTicketKeys().isPresent();
        LibSsl.SSL_CTX_set_options(ctx, LibSsl.SSL_OP_NO_QUERY_MTU | LibSsl.SSL_OP_NO_RENEGOTIATION
                | (tickets ? 0 : LibSsl.SSL_OP_NO_TICKET) | LibSsl.SSL_OP_CIPHER_SERVER_PREFERENCE);
        if (tickets) {
            SessionTickets.enable(ctx);
        }
        check(LibSsl.SSL_CTX_set_cipher_list(ctx, String.join(":", suites)) == 1, "set the cipher list " + suites);
        config.credentials().ifPresent(c -> useCredentials(ctx, c));
        LibSsl.SSL_CTX_set_cert_verify_callback(ctx, Callbacks.CERT_VERIFY, null);
        NativeTrust.load(ctx, config);
        LibSsl.SSL_CTX_set_cookie_generate_cb(ctx, Callbacks.COOKIE_GENERATE);
        LibSsl.SSL_CTX_set_cookie_verify_cb(ctx, Callbacks.COOKIE_VERIFY);
        LibSsl.SSL_CTX_set_info_callback(ctx, Callbacks.INFO);
        // A session (cached or in a ticket) resumes only where the server asks of its client what
        // the one that made it asked: nodes sharing ticket keys may be configured apart.
        byte[] sessionIdContext = ConfigFacts.clientRequirements(config);
        check(LibSsl.SSL_CTX_set_session_id_context(ctx, sessionIdContext, sessionIdContext.length) == 1,
                "set the session id context");
        LibSsl.SSL_CTX_ctrl(ctx, LibSsl.SSL_CTRL_SET_SESS_CACHE_MODE, LibSsl.SSL_SESS_CACHE_SERVER, null);
        if (!config.applicationProtocols().isEmpty()) {
            byte[] wire = alpnWire(config.applicationProtocols());
            check(LibSsl.SSL_CTX_set_alpn_protos(ctx, wire, wire.length) == 0, "set the ALPN protocols");
            LibSsl.SSL_CTX_set_alpn_select_cb(ctx, Callbacks.ALPN_SELECT, null);
        }
        if (!config.srtpProfiles().isEmpty()) {
            check(LibSsl.SSL_CTX_set_tlsext_use_srtp(ctx, String.join(":", config.srtpProfiles())) == 0,
                    "set the SRTP profiles " + config.srtpProfiles());
        }
        if (config.preSharedKey().isPresent()) {
            LibSsl.SSL_CTX_set_psk_client_callback(ctx, Callbacks.PSK_CLIENT);
        }
        if (config.pskKeyStore().isPresent()) {
            LibSsl.SSL_CTX_set_psk_server_callback(ctx, Callbacks.PSK_SERVER);
            config.pskIdentityHint().ifPresent(h -> check(LibSsl.SSL_CTX_use_psk_identity_hint(ctx, h) == 1,
                    "set the PSK identity hint"));
        }
    }

    private static void useCredentials(Pointer ctx, Credentials credentials) {
        List<X509Certificate> chain = credentials.certificateChain();
        for (int i = 0; i < chain.size(); i++) {
            Pointer x509;
            try {
                x509 = Der.toX509(chain.get(i).getEncoded());
            } catch (CertificateEncodingException e) {
                throw new DtlsConfigurationException("cannot encode certificate " + i + " of the chain: " + e, e);
            }
            try {
                if (i == 0) {
                    check(LibSsl.SSL_CTX_use_certificate(ctx, x509) == 1, "use the certificate");
                } else {
                    check(LibSsl.SSL_CTX_ctrl(ctx, LibSsl.SSL_CTRL_CHAIN_CERT, 1, x509) == 1, "add chain certificate " + i);
                }
            } finally {
                LibSsl.X509_free(x509); // OpenSSL took its own reference
                NativeObjects.COUNTS.freed(NativeObjects.Type.X509);
            }
        }
        byte[] pkcs8 = credentials.privateKey().getEncoded();
        if (pkcs8 == null) {
            throw new DtlsConfigurationException("the private key cannot be exported (" + credentials.keyAlgorithm()
                    + "); provider 'openssl' needs its PKCS#8 encoding");
        }
        Pointer pkey = Der.toPrivateKey(pkcs8);
        try {
            check(LibSsl.SSL_CTX_use_PrivateKey(ctx, pkey) == 1, "use the private key");
            check(LibSsl.SSL_CTX_check_private_key(ctx) == 1, "match the private key to the certificate");
        } finally {
            LibSsl.EVP_PKEY_free(pkey);
            NativeObjects.COUNTS.freed(NativeObjects.Type.EVP_PKEY);
        }
    }

    private static byte[] alpnWire(List<String> protocols) {
        int n = 0;
        for (String p : protocols) {
            n += 1 + p.length();
        }
        byte[] out = new byte[n];
        int at = 0;
        for (String p : protocols) {
            byte[] b = p.getBytes(StandardCharsets.US_ASCII);
            out[at++] = (byte) b.length;
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new DtlsConfigurationException("OpenSSL could not " + what + ": " + OpenSslErrors.drain());
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

    byte[][] applicationProtocols() {
        return alpn;
    }

    @Override
    public DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener) {
        return newSession(DtlsRole.CLIENT, peer, listener);
    }

    @Override
    public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
        return newSession(DtlsRole.SERVER, peer, listener);
    }

    private DtlsSession newSession(DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener) {
        SessionPreconditions.requireCreatable(config, role, peer, listener, closed);
        return OpenSslSession.create(this, role, peer, listener);
    }

    Pointer ctx() {
        return handle.ctx;
    }

    /** {@return the shared keys of this context's tickets, or null when it issues none} */
    TicketKeys ticketKeys() {
        return ticketKeys;
    }

    int maxRecordSizeBeforeHandshake() {
        return maxRecordSizeBeforeHandshake;
    }

    /** Gives the client's SSL the cached session for {@code peer}, if any. */
    void resumeInto(Pointer ssl, InetSocketAddress peer) {
        synchronized (sessions) {
            Pointer s = closed ? null : sessions.get(peer);
            if (s != null) {
                LibSsl.SSL_set_session(ssl, s); // takes its own reference
            }
        }
    }

    /** Keeps the client's session for {@code peer}; {@code session} is owned from here on. */
    void remember(InetSocketAddress peer, Pointer session) {
        NativeObjects.COUNTS.created(NativeObjects.Type.SSL_SESSION);
        Pointer old;
        Pointer evicted = null;
        synchronized (sessions) {
            if (closed) {
                old = session;
            } else {
                old = sessions.remove(peer); // re-inserted last: the newest
                sessions.put(peer, session);
                if (sessions.size() > MAX_CLIENT_SESSIONS) {
                    Iterator<Pointer> oldest = sessions.values().iterator();
                    evicted = oldest.next();
                    oldest.remove();
                }
            }
        }
        for (Pointer freed : new Pointer[] {old, evicted}) {
            if (freed != null) {
                LibSsl.SSL_SESSION_free(freed);
                NativeObjects.COUNTS.freed(NativeObjects.Type.SSL_SESSION);
            }
        }
    }

    @Override
    public void close() {
        synchronized (sessions) {
            if (closed) {
                return;
            }
            closed = true;
        }
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "OpenSslContext[" + providerName + (closed ? ", closed" : "") + "]";
    }

    /** DER to OpenSSL objects, each counted in {@link NativeObjects}. */
    static final class Der {
        private Der() {
        }

        static Pointer toX509(byte[] der) {
            try (Memory m = new Memory(der.length); Memory in = new Memory(com.sun.jna.Native.POINTER_SIZE)) {
                m.write(0, der, 0, der.length);
                in.setPointer(0, m);
                OpenSslErrors.clear();
                Pointer x = LibSsl.d2i_X509(null, in, der.length);
                if (x == null) {
                    throw new DtlsConfigurationException("OpenSSL cannot read a certificate: " + OpenSslErrors.drain());
                }
                NativeObjects.COUNTS.created(NativeObjects.Type.X509);
                return x;
            }
        }

        static Pointer toPrivateKey(byte[] der) {
            try (Memory m = new Memory(der.length); Memory in = new Memory(com.sun.jna.Native.POINTER_SIZE)) {
                m.write(0, der, 0, der.length);
                in.setPointer(0, m);
                OpenSslErrors.clear();
                Pointer k = LibSsl.d2i_AutoPrivateKey(null, in, der.length);
                m.clear();
                if (k == null) {
                    throw new DtlsConfigurationException("OpenSSL cannot read the private key: " + OpenSslErrors.drain());
                }
                NativeObjects.COUNTS.created(NativeObjects.Type.EVP_PKEY);
                return k;
            }
        }

        /** The DER encoding of an X509 that OpenSSL owns. */
        static byte[] of(Pointer x509) {
            int n = LibSsl.i2d_X509(x509, null);
            if (n <= 0) {
                return new byte[0];
            }
            try (Memory m = new Memory(n); Memory out = new Memory(com.sun.jna.Native.POINTER_SIZE)) {
                out.setPointer(0, m);
                LibSsl.i2d_X509(x509, out);
                return m.getByteArray(0, n);
            }
        }
    }
}
