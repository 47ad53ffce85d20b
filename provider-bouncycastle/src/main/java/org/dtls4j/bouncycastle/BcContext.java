package org.dtls4j.bouncycastle;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DefaultTlsHeartbeat;
import org.bouncycastle.tls.HeartbeatMode;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsHeartbeat;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.TransportConnectionIds;

/**
 * A {@link DtlsConfig} compiled for BouncyCastle: the crypto, the converted credentials,
 * the suite lists per role, the handshake pool, and the session caches.
 *
 * <p>Thread-safe.
 */
final class BcContext implements DtlsContext, TransportConnectionIds {

    /** Sessions each cache keeps at most (least recently used go first). */
    static final int SESSION_CACHE_SIZE = 1024;

    /** Set to {@code false} to have AES-GCM records use BouncyCastle's own cipher instead of the JDK's. */
    static final String JDK_GCM_PROPERTY = "dtls4j.bouncycastle.jdkGcm";

    private final String providerName;
    private final DtlsConfig config;
    private final BcTlsCrypto crypto;
    private final LocalCredentials credentials;
    private final ProtocolVersion[] versions;
    private final int[] clientSuites;
    private final int[] serverSuites;
    private final HandshakeExecutor executor;
    private final Map<InetSocketAddress, TlsSession> clientSessions = lru();
    private final Map<String, TlsSession> serverSessions = lru();
    private volatile DTLSVerifier verifier;
    private volatile boolean closed;

    private BcContext(String providerName, DtlsConfig config, BcTlsCrypto crypto, LocalCredentials credentials,
                      int[] clientSuites, int[] serverSuites, int handshakeThreads) {
        this.providerName = providerName;
        this.config = config;
        this.crypto = crypto;
        this.credentials = credentials;
        this.versions = versions(config);
        this.clientSuites = clientSuites;
        this.serverSuites = serverSuites;
        this.executor = new HandshakeExecutor(handshakeThreads,
                Math.min(handshakeThreads, Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
    }

    /**
     * Compiles {@code config}.
     *
     * @throws DtlsConfigurationException if BouncyCastle implements none of the configured suites
     */
    static BcContext create(String providerName, DtlsConfig config, int handshakeThreads) {
        BcTlsCrypto crypto = new DtlsCrypto(new SecureRandom(), !"false".equals(System.getProperty(JDK_GCM_PROPERTY)));
        LocalCredentials credentials = config.credentials().map(c -> LocalCredentials.of(crypto, c)).orElse(null);
        int[] all = TlsUtils.getSupportedCipherSuites(crypto, CipherSuites.codes(config.cipherSuites()));
        if (all.length == 0) {
            throw new DtlsConfigurationException("BouncyCastle implements none of the configured cipher suites "
                    + config.cipherSuites() + "; leave cipherSuites unset for the defaults or name IANA suites such as"
                    + " TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
        // A client offers every configured suite it can complete (PSK suites only with a PSK);
        // a server only those its key signs for (BouncyCastle would pick a suite and then find
        // no credentials) and PSK suites only with a key store.
        List<Integer> client = new ArrayList<>();
        List<Integer> server = new ArrayList<>();
        for (int s : all) {
            if (CipherSuites.isPsk(s)) {
                if (config.preSharedKey().isPresent()) {
                    client.add(s);
                }
                if (config.pskKeyStore().isPresent()) {
                    server.add(s);
                }
            } else {
                client.add(s);
                if (credentials != null && (credentials.signsEcdsa() ? CipherSuites.isEcdsa(s)
                        : credentials.signsRsa() && CipherSuites.isRsaSigned(s))) {
                    server.add(s);
                }
            }
        }
        return new BcContext(providerName, config, crypto, credentials, ints(client), ints(server), handshakeThreads);
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
        SessionPreconditions.requireCreatable(config, DtlsRole.CLIENT, peer, listener, closed);
        if (clientSuites.length == 0) {
            throw new DtlsConfigurationException("no configured cipher suite can be used by a client: the PSK suites"
                    + " need preSharedKey(...); add certificate suites or a PSK");
        }
        return BcSession.client(this, peer, listener);
    }

    @Override
    public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
        checkServer(peer, listener);
        return BcSession.server(this, peer, listener, newConnectionId());
    }

    /** A server session that asks its client for the transport's connection ID. */
    @Override
    public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener, byte[] connectionId) {
        checkServer(peer, listener);
        SessionPreconditions.requireIssuedConnectionId(config, connectionId);
        return BcSession.server(this, peer, listener, connectionId);
    }

    private void checkServer(InetSocketAddress peer, DtlsSessionListener listener) {
        SessionPreconditions.requireCreatable(config, DtlsRole.SERVER, peer, listener, closed);
        if (serverSuites.length == 0) {
            throw new DtlsConfigurationException("no configured cipher suite fits the server's credentials or PSK key"
                    + " store; for an EC key enable an ECDSA suite, for an RSA key an ECDHE_RSA suite");
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        synchronized (clientSessions) {
            clientSessions.clear();
        }
        synchronized (serverSessions) {
            serverSessions.clear();
        }
    }

    BcTlsCrypto crypto() {
        return crypto;
    }

    /** The converted credentials, or null if none are configured. */
    LocalCredentials credentials() {
        return credentials;
    }

    ProtocolVersion[] versions() {
        return versions.clone();
    }

    int[] clientSuites() {
        return clientSuites.clone();
    }

    int[] serverSuites() {
        return serverSuites.clone();
    }

    HandshakeExecutor executor() {
        return executor;
    }

    int handshakeTimeoutMillis() {
        return millis(config.handshakeTimeout().toMillis());
    }

    int initialResendMillis() {
        return millis(config.initialRetransmitTimeout().toMillis());
    }

    /** BouncyCastle's own cookie maker, for when {@link ClientHelloRequests} is unavailable. */
    DTLSVerifier verifier() {
        DTLSVerifier v = verifier;
        if (v == null) {
            synchronized (this) {
                v = verifier;
                if (v == null) {
                    v = new DTLSVerifier(crypto);
                    verifier = v;
                }
            }
        }
        return v;
    }

    TlsHeartbeat heartbeat() {
        if (!config.heartbeat()) {
            return null;
        }
        return new DefaultTlsHeartbeat(heartbeatIntervalMillis(), heartbeatTimeoutMillis());
    }

    /** How long an established session stays silent before it sends a heartbeat request. */
    int heartbeatIntervalMillis() {
        return millis(config.heartbeatInterval().toMillis());
    }

    /** How long a heartbeat request may go unanswered before the peer is declared dead. */
    int heartbeatTimeoutMillis() {
        return millis(config.heartbeatTimeout().toMillis());
    }

    short heartbeatPolicy() {
        return config.heartbeat() ? HeartbeatMode.peer_allowed_to_send : HeartbeatMode.peer_not_allowed_to_send;
    }

    /** A fresh local connection ID of the configured length, or null if CID is off. */
    byte[] newConnectionId() {
        if (config.connectionIdLength().isEmpty()) {
            return null;
        }
        byte[] cid = new byte[config.connectionIdLength().getAsInt()];
        crypto.getSecureRandom().nextBytes(cid);
        return cid;
    }

    TlsSession cachedClientSession(InetSocketAddress peer) {
        synchronized (clientSessions) {
            TlsSession s = clientSessions.get(peer);
            return s != null && s.isResumable() ? s : null;
        }
    }

    void cacheClientSession(InetSocketAddress peer, TlsSession session) {
        synchronized (clientSessions) {
            if (!closed) {
                clientSessions.put(peer, session);
            }
        }
    }

    byte[] newSessionId() {
        byte[] id = new byte[32];
        crypto.getSecureRandom().nextBytes(id);
        return id;
    }

    TlsSession cachedServerSession(byte[] id) {
        synchronized (serverSessions) {
            TlsSession s = serverSessions.get(HexFormat.of().formatHex(id));
            return s != null && s.isResumable() ? s : null;
        }
    }

    void cacheServerSession(TlsSession session) {
        byte[] id = session.getSessionID();
        if (id == null || id.length == 0) {
            return;
        }
        synchronized (serverSessions) {
            if (!closed) {
                serverSessions.put(HexFormat.of().formatHex(id), session);
            }
        }
    }

    private static ProtocolVersion[] versions(DtlsConfig config) {
        List<ProtocolVersion> v = new ArrayList<>();
        if (config.protocolVersions().contains(org.dtls4j.ProtocolVersion.DTLS_1_2)) {
            v.add(ProtocolVersion.DTLSv12);
        }
        if (config.protocolVersions().contains(org.dtls4j.ProtocolVersion.DTLS_1_0)) {
            v.add(ProtocolVersion.DTLSv10);
        }
        return v.toArray(new ProtocolVersion[0]);
    }

    private static int millis(long millis) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static <K> Map<K, TlsSession> lru() {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, TlsSession> eldest) {
                return size() > SESSION_CACHE_SIZE;
            }
        });
    }

    @Override
    public String toString() {
        return "BcContext[" + providerName + ", client suites " + Arrays.toString(clientSuites) + "]";
    }
}
