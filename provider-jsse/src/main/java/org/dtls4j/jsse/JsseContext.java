package org.dtls4j.jsse;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.ServerNames;

/**
 * A {@link DtlsConfig} compiled for JSSE: one {@code SSLContext("DTLS")} holding the
 * credentials and the shared peer validation, and the engine parameters every session
 * starts from.
 *
 * <p>Thread-safe and immutable apart from the closed flag: {@link SSLContext} creates
 * engines concurrently.
 */
final class JsseContext implements DtlsContext, BackendCookies {

    private final String providerName;
    private final DtlsConfig config;
    private final SSLContext sslContext;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final int maxRecordSizeBeforeHandshake;
    private final LongSupplier clock;
    private final JsseCookies cookies;
    /** Null where JSSE must not resume ({@link JsseProvider#resumes()}): sessions are invalidated then. */
    private final SessionIds sessionIds = JsseProvider.resumes() ? new SessionIds() : null;
    private volatile boolean closed;

    private JsseContext(String providerName, DtlsConfig config, SSLContext sslContext, String[] protocols,
                        String[] cipherSuites, LongSupplier clock) {
        this.providerName = providerName;
        this.config = config;
        this.sslContext = sslContext;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.maxRecordSizeBeforeHandshake = RecordSizes.worstCase(List.of(cipherSuites), config.maxDatagramSize());
        this.clock = clock;
        this.cookies = new JsseCookies(sslContext, this::baseParameters);
    }

    /**
     * Compiles {@code config}; capability checks have been done by the provider.
     *
     * @param clock {@link System#nanoTime()} in production; tests may pass a virtual clock
     * @throws DtlsConfigurationException if JSSE implements none of the configured suites
     *         for the configured versions, or cannot be set up
     */
    static JsseContext create(String providerName, DtlsConfig config, LongSupplier clock) {
        SSLContext ssl;
        try {
            ssl = SSLContext.getInstance("DTLS");
            KeyManager[] keys = config.credentials()
                    .map(c -> new KeyManager[] {new CredentialsKeyManager(c)})
                    .orElse(null);
            ssl.init(keys, new TrustManager[] {new PeerTrustManager(config)}, null);
        } catch (GeneralSecurityException e) {
            throw new DtlsConfigurationException("cannot set up a JSSE DTLS context: " + e.getMessage(), e);
        }
        String[] protocols = protocols(config);
        String[] suites = usableSuites(config, ssl);
        return new JsseContext(providerName, config, ssl, protocols, suites, clock);
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
        String sni = config.serverName().or(() -> ServerNames.forPeer(peer)).orElse("");
        SSLEngine engine = sslContext.createSSLEngine(cacheHost(peer), peer.getPort());
        engine.setUseClientMode(true); // before the parameters: it resets protocol defaults
        SSLParameters p = baseParameters();
        p.setServerNames(sni.isEmpty() ? List.of() : List.of(new SNIHostName(sni)));
        engine.setSSLParameters(p);
        return new JsseSession(DtlsRole.CLIENT, config, engine, p, sni, maxRecordSizeBeforeHandshake, listener, clock,
                sessionIds);
    }

    @Override
    public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
        SessionPreconditions.requireCreatable(config, DtlsRole.SERVER, peer, listener, closed);
        SSLEngine engine = sslContext.createSSLEngine(cacheHost(peer), peer.getPort());
        engine.setUseClientMode(false);
        SSLParameters p = baseParameters();
        switch (ConfigFacts.peerVerification(config, DtlsRole.SERVER)) {
            case REQUIRED -> p.setNeedClientAuth(true);
            case OPTIONAL -> p.setWantClientAuth(true);
            case NONE -> { }
        }
        engine.setSSLParameters(p);
        return new JsseSession(DtlsRole.SERVER, config, engine, p, "", maxRecordSizeBeforeHandshake, listener, clock,
                sessionIds);
    }

    /** JSSE accepts no cookie but its own: the listener sends JSSE's ({@link JsseCookies}). */
    @Override
    public Optional<byte[]> cookieFor(java.nio.ByteBuffer clientHello) {
        return cookies.cookieFor(clientHello);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The suites sessions enable, in the configuration's order. */
    List<String> cipherSuites() {
        return List.of(cipherSuites);
    }

    private SSLParameters baseParameters() {
        SSLParameters p = new SSLParameters(cipherSuites.clone(), protocols.clone());
        p.setMaximumPacketSize(config.maxDatagramSize());
        p.setEnableRetransmissions(true);
        p.setUseCipherSuitesOrder(true); // a server prefers the configuration's order
        // No endpoint identification: PeerTrustManager runs the shared host name check.
        if (!config.applicationProtocols().isEmpty()) {
            p.setApplicationProtocols(config.applicationProtocols().toArray(new String[0]));
        }
        return p;
    }

    private static String[] protocols(DtlsConfig config) {
        List<String> out = new ArrayList<>(2);
        // Newest first; DTLS 1.3 never gets here: the provider does not declare it.
        if (config.protocolVersions().contains(ProtocolVersion.DTLS_1_2)) {
            out.add(ProtocolVersion.DTLS_1_2.standardName());
        }
        if (config.protocolVersions().contains(ProtocolVersion.DTLS_1_0)) {
            out.add(ProtocolVersion.DTLS_1_0.standardName());
        }
        return out.toArray(new String[0]);
    }

    /**
     * The configured suites that JSSE's DTLS engine enables, in configuration order.
     * JSSE's default list is the reference: it leaves out what the JDK's security
     * properties disable.
     */
    private static String[] usableSuites(DtlsConfig config, SSLContext ssl) {
        Set<String> jsse = Set.of(ssl.getDefaultSSLParameters().getCipherSuites());
        Set<String> usable = new LinkedHashSet<>();
        for (String s : config.cipherSuites()) {
            if (jsse.contains(s) && s.contains("_WITH_")) {
                usable.add(s);
            }
        }
        if (usable.isEmpty()) {
            throw new DtlsConfigurationException("none of the configured cipher suites " + config.cipherSuites()
                    + " is supported by the JDK's DTLS engine; configure one of " + certificateSuites(jsse)
                    + " with DtlsConfig.Builder.cipherSuites(...), or leave cipherSuites unset");
        }
        if (!config.protocolVersions().contains(ProtocolVersion.DTLS_1_2)
                && usable.stream().noneMatch(JsseContext::usableWithDtls10)) {
            throw new DtlsConfigurationException("DTLS 1.0 alone cannot use any of " + usable
                    + " (AEAD and SHA-2 suites need DTLS 1.2); enable DTLS 1.2 or add a suite such as"
                    + " TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        }
        return usable.toArray(new String[0]);
    }

    /** DTLS 1.0 is TLS 1.1 underneath: CBC with SHA-1 MACs only. */
    private static boolean usableWithDtls10(String suite) {
        return suite.contains("_CBC_") && suite.endsWith("_SHA");
    }

    private static List<String> certificateSuites(Set<String> jsse) {
        List<String> out = new ArrayList<>();
        for (String s : jsse) {
            if (s.contains("_WITH_")) {
                out.add(s);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The host an engine is created for. JSSE's client session cache is keyed by the
     * engine's peer host and port, so two equal addresses must give the same string: an
     * address's IP literal when it is resolved ({@link InetSocketAddress#equals} compares
     * those, whatever name it was created with), its host name when it is not. Nothing
     * else reads the engine's peer host: endpoint identification is off and SNI is set
     * explicitly.
     */
    static String cacheHost(InetSocketAddress peer) {
        return peer.isUnresolved() ? peer.getHostString() : peer.getAddress().getHostAddress();
    }
}
