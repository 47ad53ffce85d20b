package org.dtls4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.SrtpProfiles;

/**
 * Everything a {@link DtlsContext} is made from: versions, suites, credentials, trust,
 * verification, cookies, timers and sizes. Immutable and thread-safe.
 *
 * <p>{@link Builder#build()} validates the whole configuration: an impossible combination
 * fails there, with a message that names the fix, never later in a handshake. Defaults
 * are secure: AEAD suites only (ECDHE in DTLS 1.2), clients verify servers, servers
 * answer with stateless cookies.
 *
 * <h2>Protocol versions</h2>
 * Left unset, the versions are DTLS 1.2 and DTLS 1.3 (those of them the configured cipher
 * suites can serve), narrowed when a context is made to the ones its provider speaks: a
 * provider without DTLS 1.3 runs DTLS 1.2; one with it offers both, so a DTLS 1.3 peer gets
 * DTLS 1.3 and a DTLS 1.2 peer DTLS 1.2. Versions set with {@link Builder#protocolVersions}
 * are taken as they are: a provider that lacks one refuses the configuration when the
 * context is made ({@link DtlsUnsupportedCapabilityException}). {@link DtlsContext#config()}
 * returns the configuration as its provider runs it. DTLS 1.0 is never a default.
 *
 * <h2>Cipher suites</h2>
 * Each enabled version needs a suite of its own and each suite needs its version: DTLS 1.2
 * (and 1.0) suites name their key exchange ({@code TLS_ECDHE_ECDSA_WITH_...}); DTLS 1.3 takes
 * the TLS 1.3 suites of {@link #TLS13_CIPHER_SUITES}, which authenticate with any key and
 * with a PSK. Left unset, the suites are the defaults of each enabled version.
 *
 * <p>This file is longer than the project's 450 lines on purpose: each option is one field,
 * one accessor, one builder method and its check in {@code build()}, and keeping the
 * builder beside what it builds lets a reader see an option whole.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>protocol versions</td><td>DTLS 1.2 and DTLS 1.3, narrowed to what the provider
 *       speaks (above)</td></tr>
 *   <tr><td>cipher suites</td><td>with DTLS 1.3: {@link #DEFAULT_TLS13_CIPHER_SUITES}; with
 *       DTLS 1.2: {@link #DEFAULT_CIPHER_SUITES}, then {@link #DEFAULT_PSK_CIPHER_SUITES} when
 *       a PSK is configured</td></tr>
 *   <tr><td>peer verification</td><td>client: REQUIRED; server: NONE</td></tr>
 *   <tr><td>trust anchors</td><td>the JDK's default trust store when none are given</td></tr>
 *   <tr><td>initial / maximum retransmission interval</td><td>1 s / 60 s (RFC 6347)</td></tr>
 *   <tr><td>handshake timeout</td><td>60 s: with the default timers that is six flights
 *       (sent at 0, 1, 3, 7, 15 and 31 s), which covers a heavily lossy path while a dead
 *       peer costs a bounded minute</td></tr>
 *   <tr><td>maximum datagram size</td><td>1400 bytes: fits a 1500-byte Ethernet MTU under
 *       IPv4 or IPv6 headers with room for tunnels</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class DtlsConfig {

    /** ECDHE key exchange with AEAD ciphers, ECDSA first. */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** PSK suites with AEAD ciphers, used by default when a PSK is configured. */
    public static final List<String> DEFAULT_PSK_CIPHER_SUITES = List.of(
            "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_PSK_WITH_AES_128_GCM_SHA256",
            "TLS_PSK_WITH_AES_256_GCM_SHA384",
            "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * The TLS 1.3 suites (RFC 8446 section 9.1) DTLS 1.3 takes, in order of preference: AEAD
     * with a full 16-byte tag only. {@code TLS_AES_128_CCM_SHA256} is accepted for constrained
     * devices (RFC 7925's AES-CCM) but is no default; {@code TLS_AES_128_CCM_8_SHA256} (an
     * 8-byte tag) and the integrity-only suites of RFC 9150 are refused.
     *
     * @since 0.1
     */
    public static final List<String> TLS13_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_CCM_SHA256");

    /** The TLS 1.3 suites enabled by default when DTLS 1.3 is: RFC 8446 section 9.1's three. */
    public static final List<String> DEFAULT_TLS13_CIPHER_SUITES = TLS13_CIPHER_SUITES.subList(0, 3);

    /** The versions left unset means, before a provider narrows them. */
    private static final Set<ProtocolVersion> DEFAULT_VERSIONS = Set.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);

    /** The smallest datagram size accepted: a ClientHello must fit a few fragments. */
    public static final int MIN_DATAGRAM_SIZE = 256;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_SIZE = 65507;

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final Set<ProtocolVersion> protocolVersions;
    private final boolean protocolVersionsExplicit;
    private final List<String> cipherSuites;
    private final boolean cipherSuitesExplicit;
    private final Optional<Credentials> credentials;
    private final List<X509Certificate> trustedCertificates;
    private final List<PublicKey> trustedRawPublicKeys;
    private final Optional<RawPublicKeyTrust> rawPublicKeyTrust;
    private final Optional<PeerVerification> peerVerification;
    private final CertificateVerifier certificateVerifier;
    private final CookieAuthority cookieAuthority;
    private final Duration initialRetransmitTimeout;
    private final Duration maxRetransmitTimeout;
    private final Duration handshakeTimeout;
    private final int maxDatagramSize;
    private final List<String> applicationProtocols;
    private final Optional<String> serverName;
    private final boolean hostnameVerification;
    private final Optional<PreSharedKey> preSharedKey;
    private final Optional<PskKeyStore> pskKeyStore;
    private final Optional<String> pskIdentityHint;
    private final boolean heartbeat;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final OptionalInt connectionIdLength;
    private final List<String> srtpProfiles;
    private final Optional<SharedKeys> sessionTicketKeys;

    private DtlsConfig(Builder b) {
        this.protocolVersionsExplicit = b.protocolVersions != null;
        this.protocolVersions = Set.copyOf(b.protocolVersions != null ? b.protocolVersions
                : b.cipherSuites != null ? versionsServedBy(b.cipherSuites) : DEFAULT_VERSIONS);
        this.cipherSuitesExplicit = b.cipherSuites != null;
        this.cipherSuites = b.cipherSuites != null ? List.copyOf(b.cipherSuites)
                : List.copyOf(defaultSuites(protocolVersions, b.preSharedKey != null || b.pskKeyStore != null));
        this.credentials = Optional.ofNullable(b.credentials);
        this.trustedCertificates = List.copyOf(b.trustedCertificates);
        this.trustedRawPublicKeys = List.copyOf(b.trustedRawPublicKeys);
        this.rawPublicKeyTrust = Optional.ofNullable(b.rawPublicKeyTrust);
        this.peerVerification = Optional.ofNullable(b.peerVerification);
        this.certificateVerifier = b.certificateVerifier;
        this.cookieAuthority = b.cookieAuthority != null ? b.cookieAuthority : CookieAuthority.hmacSha256();
        this.initialRetransmitTimeout = b.initialRetransmitTimeout;
        this.maxRetransmitTimeout = b.maxRetransmitTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxDatagramSize = b.maxDatagramSize;
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.serverName = Optional.ofNullable(b.serverName);
        this.hostnameVerification = b.hostnameVerification;
        this.preSharedKey = Optional.ofNullable(b.preSharedKey);
        this.pskKeyStore = Optional.ofNullable(b.pskKeyStore);
        this.pskIdentityHint = Optional.ofNullable(b.pskIdentityHint);
        this.heartbeat = b.heartbeat;
        this.heartbeatInterval = b.heartbeatInterval;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.connectionIdLength = b.connectionIdLength == null ? OptionalInt.empty() : OptionalInt.of(b.connectionIdLength);
        this.srtpProfiles = List.copyOf(b.srtpProfiles);
        this.sessionTicketKeys = Optional.ofNullable(b.sessionTicketKeys);
    }

    /** {@return a builder with the secure defaults described above} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder that starts from this configuration} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * {@return the protocol versions this side offers or accepts} Of a configuration whose versions
     * were left unset, the versions a context narrows to its provider's (see above).
     */
    public Set<ProtocolVersion> protocolVersions() {
        return protocolVersions;
    }

    /**
     * {@return whether the versions were set with {@link Builder#protocolVersions}: then a provider
     * must speak each of them} When not, a context narrows {@link #protocolVersions()} to the
     * versions its provider speaks ({@link org.dtls4j.spi.ConfigFacts#forProvider}).
     *
     * @since 0.1
     */
    public boolean protocolVersionsExplicit() {
        return protocolVersionsExplicit;
    }

    /**
     * Cipher suites by IANA name, in order of preference.
     *
     * @return the cipher suites by IANA name, in order of preference
     */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** {@return the local key and certificate chain, if any} */
    public Optional<Credentials> credentials() {
        return credentials;
    }

    /**
     * {@return the configured trust anchors} Empty means the JDK's default trust store;
     * {@link org.dtls4j.spi.PeerCertificates#trustAnchors(DtlsConfig)} resolves that.
     */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /**
     * {@return the public keys a peer that authenticates with a raw public key (RFC 7250) may present;
     * empty means raw public keys are not accepted from peers}
     */
    public List<PublicKey> trustedRawPublicKeys() {
        return trustedRawPublicKeys;
    }

    /**
     * {@return the application's decision on raw public keys that {@link #trustedRawPublicKeys()}
     * does not list, if any}
     */
    public Optional<RawPublicKeyTrust> rawPublicKeyTrust() {
        return rawPublicKeyTrust;
    }

    /**
     * {@return the peer verification mode set with {@link Builder#peerVerification}, if any; when empty
     * a client requires a verified server and a server does not ask the client for a certificate}
     */
    public Optional<PeerVerification> peerVerification() {
        return peerVerification;
    }

    /**
     * {@return the application's veto over peer chains; {@link CertificateVerifier#ACCEPT_ALL} by default}
     */
    public CertificateVerifier certificateVerifier() {
        return certificateVerifier;
    }

    /**
     * Makes and checks HelloVerifyRequest cookies.
     *
     * @return the authority that makes and checks HelloVerifyRequest cookies; {@link
     *     CookieAuthority#hmacSha256()} unless one was set
     */
    public CookieAuthority cookieAuthority() {
        return cookieAuthority;
    }

    /** {@return the first retransmission interval of a flight} */
    public Duration initialRetransmitTimeout() {
        return initialRetransmitTimeout;
    }

    /** {@return the cap on the doubling retransmission interval} */
    public Duration maxRetransmitTimeout() {
        return maxRetransmitTimeout;
    }

    /** {@return the total time a handshake may take before it fails} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return the largest datagram a session emits (the path MTU minus IP and UDP headers)} */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /**
     * ALPN protocols in order of preference; empty means no ALPN.
     *
     * @return the ALPN protocols in order of preference; empty means no ALPN
     */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** {@return the SNI host name a client sends (and checks the certificate against)} */
    public Optional<String> serverName() {
        return serverName;
    }

    /** {@return whether a client checks the server certificate against {@link #serverName()}} */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** {@return the PSK a client presents, if any} */
    public Optional<PreSharedKey> preSharedKey() {
        return preSharedKey;
    }

    /** {@return how a server looks up PSKs, if it accepts them} */
    public Optional<PskKeyStore> pskKeyStore() {
        return pskKeyStore;
    }

    /** {@return the PSK identity hint a server sends, if any} */
    public Optional<String> pskIdentityHint() {
        return pskIdentityHint;
    }

    /** {@return whether the heartbeat extension (RFC 6520) is negotiated} */
    public boolean heartbeat() {
        return heartbeat;
    }

    /**
     * {@return with {@link #heartbeat()} on, how long an established association may stay silent
     * before this side sends a heartbeat request (RFC 6520); default 30 seconds}
     *
     * @since 0.1
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * {@return with {@link #heartbeat()} on, how long a heartbeat request may go unanswered (while it
     * is retransmitted) before the peer is declared dead and the session fails with a
     * {@link DtlsPeerUnresponsiveException}; default 30 seconds} A silent peer is
     * thus detected within {@code heartbeatInterval() + heartbeatTimeout()}.
     *
     * @since 0.1
     */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /**
     * {@return the length of the connection ID this side asks its peer to use, if CID is on} On a
     * {@link DtlsServer} it is the length of every connection ID the listener issues and routes
     * by, whatever address a record comes from (docs/TRANSPORT.md); 0 routes by address only.
     */
    public OptionalInt connectionIdLength() {
        return connectionIdLength;
    }

    /**
     * SRTP protection profiles (RFC 5764) by name; empty means no use_srtp.
     *
     * @return the SRTP protection profiles (RFC 5764) by name; empty means no use_srtp
     */
    public List<String> srtpProfiles() {
        return srtpProfiles;
    }

    /**
     * {@return the keys a server protects its session tickets with, shared by the nodes of one
     * service; empty: the provider's own resumption, local to this context}
     */
    public Optional<SharedKeys> sessionTicketKeys() {
        return sessionTicketKeys;
    }

    private static List<String> defaultSuites(Set<ProtocolVersion> versions, boolean psk) {
        List<String> out = new ArrayList<>();
        if (versions.contains(ProtocolVersion.DTLS_1_3)) {
            out.addAll(DEFAULT_TLS13_CIPHER_SUITES);
        }
        if (versions.contains(ProtocolVersion.DTLS_1_2) || versions.contains(ProtocolVersion.DTLS_1_0)) {
            out.addAll(DEFAULT_CIPHER_SUITES);
            if (psk) {
                out.addAll(DEFAULT_PSK_CIPHER_SUITES);
            }
        }
        return out;
    }

    /** Of the default versions, those the suites can serve. */
    private static Set<ProtocolVersion> versionsServedBy(List<String> suites) {
        Set<ProtocolVersion> out = EnumSet.noneOf(ProtocolVersion.class);
        for (String s : suites) {
            out.add(ConfigFacts.isTls13Suite(s) ? ProtocolVersion.DTLS_1_3 : ProtocolVersion.DTLS_1_2);
        }
        return out;
    }

    /**
     * Builds a {@link DtlsConfig}. Not thread-safe; {@link #build()} may be called more
     * than once.
     *
     * @since 0.1
     */
    public static final class Builder {
        private Set<ProtocolVersion> protocolVersions; // null: the defaults, narrowed by the provider
        private List<String> cipherSuites;
        private Credentials credentials;
        private List<X509Certificate> trustedCertificates = List.of();
        private List<PublicKey> trustedRawPublicKeys = List.of();
        private RawPublicKeyTrust rawPublicKeyTrust;
        private PeerVerification peerVerification;
        private CertificateVerifier certificateVerifier = CertificateVerifier.ACCEPT_ALL;
        private CookieAuthority cookieAuthority;
        private Duration initialRetransmitTimeout = Duration.ofSeconds(1);
        private Duration maxRetransmitTimeout = Duration.ofSeconds(60);
        private Duration handshakeTimeout = Duration.ofSeconds(60);
        private int maxDatagramSize = 1400;
        private List<String> applicationProtocols = List.of();
        private String serverName;
        private boolean hostnameVerification = true;
        private PreSharedKey preSharedKey;
        private PskKeyStore pskKeyStore;
        private String pskIdentityHint;
        private boolean heartbeat;
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration heartbeatTimeout = Duration.ofSeconds(30);
        private Integer connectionIdLength; // null: no connection ID
        private List<String> srtpProfiles = List.of();
        private SharedKeys sessionTicketKeys;

        private Builder() {
        }

        private Builder(DtlsConfig c) {
            protocolVersions = c.protocolVersionsExplicit ? EnumSet.copyOf(c.protocolVersions) : null;
            cipherSuites = c.cipherSuitesExplicit ? c.cipherSuites : null;
            credentials = c.credentials.orElse(null);
            trustedCertificates = c.trustedCertificates;
            trustedRawPublicKeys = c.trustedRawPublicKeys;
            rawPublicKeyTrust = c.rawPublicKeyTrust.orElse(null);
            peerVerification = c.peerVerification.orElse(null);
            certificateVerifier = c.certificateVerifier;
            cookieAuthority = c.cookieAuthority;
            initialRetransmitTimeout = c.initialRetransmitTimeout;
            maxRetransmitTimeout = c.maxRetransmitTimeout;
            handshakeTimeout = c.handshakeTimeout;
            maxDatagramSize = c.maxDatagramSize;
            applicationProtocols = c.applicationProtocols;
            serverName = c.serverName.orElse(null);
            hostnameVerification = c.hostnameVerification;
            preSharedKey = c.preSharedKey.orElse(null);
            pskKeyStore = c.pskKeyStore.orElse(null);
            pskIdentityHint = c.pskIdentityHint.orElse(null);
            heartbeat = c.heartbeat;
            heartbeatInterval = c.heartbeatInterval;
            heartbeatTimeout = c.heartbeatTimeout;
            connectionIdLength = c.connectionIdLength.isPresent() ? c.connectionIdLength.getAsInt() : null;
            srtpProfiles = c.srtpProfiles;
            sessionTicketKeys = c.sessionTicketKeys.orElse(null);
        }

        /**
         * The versions to offer/accept, each of which the provider must speak; unset, DTLS 1.2
         * and 1.3 narrowed to what the provider speaks (see {@link DtlsConfig}).
         *
         * @param versions the versions, at least one; a repeated one counts once
         * @return this builder
         */
        public Builder protocolVersions(ProtocolVersion... versions) {
            // Set.of would throw IllegalArgumentException on a repeated version
            return protocolVersions(new HashSet<>(List.of(versions)));
        }

        /**
         * See {@link #protocolVersions(ProtocolVersion...)}.
         *
         * @param versions the versions, at least one
         * @return this builder
         */
        public Builder protocolVersions(Set<ProtocolVersion> versions) {
            this.protocolVersions = versions.isEmpty() ? EnumSet.noneOf(ProtocolVersion.class) : EnumSet.copyOf(versions);
            return this;
        }

        /**
         * Cipher suites by IANA name, most preferred first: DTLS 1.2 suites such as
         * {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256} and, for DTLS 1.3, suites of
         * {@link DtlsConfig#TLS13_CIPHER_SUITES}. Each enabled version needs one of its own.
         *
         * @param suites the suite names, most preferred first; a repeated one counts once
         * @return this builder
         */
        public Builder cipherSuites(String... suites) {
            return cipherSuites(List.of(suites));
        }

        /**
         * See {@link #cipherSuites(String...)}.
         *
         * @param suites the suite names, most preferred first; a repeated one counts once
         * @return this builder
         */
        public Builder cipherSuites(List<String> suites) {
            this.cipherSuites = List.copyOf(new LinkedHashSet<>(suites));
            return this;
        }

        /**
         * This side's key and certificate chain.
         *
         * @param credentials the private key with its certificate chain, or a raw public key pair
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * The certificates that anchor peer chains; replaces any given before.
         *
         * @param anchors the trusted certificates; an empty list means the JDK's default trust
         *     store
         * @return this builder
         */
        public Builder trustedCertificates(List<X509Certificate> anchors) {
            this.trustedCertificates = List.copyOf(anchors);
            return this;
        }

        /**
         * The certificates that anchor peer chains; replaces any given before.
         *
         * @param anchors the trusted certificates; none means the JDK's default trust store
         * @return this builder
         */
        public Builder trustedCertificates(X509Certificate... anchors) {
            return trustedCertificates(List.of(anchors));
        }

        /**
         * Accepts peers that authenticate with a raw public key (RFC 7250) and present one of
         * these keys; replaces any given before. Needs {@link Capability#RAW_PUBLIC_KEY}. A
         * client that trusts raw keys and no certificates asks the server for a raw key only.
         * A server asks clients for a key only with {@link #peerVerification} set: a listener
         * refuses a context that trusts raw keys without it.
         *
         * @param keys the accepted public keys; empty means none
         * @return this builder
         */
        public Builder trustedRawPublicKeys(List<PublicKey> keys) {
            this.trustedRawPublicKeys = List.copyOf(keys);
            return this;
        }

        /**
         * See {@link #trustedRawPublicKeys(List)}.
         *
         * @param keys the accepted public keys; none means no listed key
         * @return this builder
         */
        public Builder trustedRawPublicKeys(PublicKey... keys) {
            return trustedRawPublicKeys(List.of(keys));
        }

        /**
         * Accepts peers that authenticate with a raw public key when {@code trust} says so,
         * for keys {@link #trustedRawPublicKeys(List)} does not list. Needs
         * {@link Capability#RAW_PUBLIC_KEY}. A server asks clients for a key only with
         * {@link #peerVerification} set: a listener refuses a context that trusts raw keys without it.
         *
         * @param trust the application's decision, called during the handshake with the peer's key
         * @return this builder
         */
        public Builder rawPublicKeyTrust(RawPublicKeyTrust trust) {
            this.rawPublicKeyTrust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /**
         * Trust the certificates in a PEM file.
         *
         * @param pemFile a file of {@code CERTIFICATE} blocks, as {@code openssl} writes them
         * @return this builder
         * @throws DtlsConfigurationException if the file is unreadable or holds no certificate
         */
        public Builder trustedCertificates(Path pemFile) {
            String pem;
            try {
                pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
            } catch (java.io.IOException e) {
                throw new DtlsConfigurationException("cannot read trust anchors from " + pemFile + ": " + e, e);
            }
            return trustedCertificates(Pem.certificates(pem, pemFile.toString()));
        }

        /**
         * How to treat the peer's chain; the default depends on the role.
         *
         * @param mode none, optional or required
         * @return this builder
         */
        public Builder peerVerification(PeerVerification mode) {
            this.peerVerification = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The application's veto over peer chains.
         *
         * @param verifier called with every peer chain that passed validation; its refusal fails
         *     the handshake with a certificate alert
         * @return this builder
         */
        public Builder certificateVerifier(CertificateVerifier verifier) {
            this.certificateVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Who makes and checks HelloVerifyRequest cookies.
         *
         * @param authority makes the cookies the listener sends and verifies the ones clients
         *     return
         * @return this builder
         */
        public Builder cookieAuthority(CookieAuthority authority) {
            this.cookieAuthority = Objects.requireNonNull(authority, "authority");
            return this;
        }

        /**
         * Retransmission timers (RFC 6347 section 4.2.4.1): a flight is resent after
         * {@code initial}, then after twice the last interval, at most {@code maximum}.
         *
         * @param initial the first interval, positive
         * @param maximum the longest interval, at least {@code initial}
         * @return this builder
         */
        public Builder retransmission(Duration initial, Duration maximum) {
            this.initialRetransmitTimeout = Objects.requireNonNull(initial, "initial");
            this.maxRetransmitTimeout = Objects.requireNonNull(maximum, "maximum");
            return this;
        }

        /**
         * The total time a handshake may take.
         *
         * @param timeout the total time, positive; after it the handshake fails with a {@link
         *     DtlsHandshakeTimeoutException}
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The largest datagram to emit; records and handshake fragments are sized to fit.
         *
         * @param bytes the path MTU minus the IP and UDP headers (for example 1,472 for an Ethernet
         *     IPv4 path)
         * @return this builder
         */
        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = bytes;
            return this;
        }

        /**
         * ALPN protocols, most preferred first.
         *
         * @param protocols the protocol names, such as {@code "coap"}; none means no ALPN
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /**
         * The SNI host name a client sends; the server certificate must match it.
         *
         * @param hostName a DNS host name, not an IP address (SNI carries none)
         * @return this builder
         */
        public Builder serverName(String hostName) {
            this.serverName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /**
         * Whether a client matches the server certificate to the server name (default on).
         *
         * @param on {@code false} only where the server's name cannot be known; the chain is still
         *     validated
         * @return this builder
         */
        public Builder hostnameVerification(boolean on) {
            this.hostnameVerification = on;
            return this;
        }

        /**
         * The PSK a client presents (needs {@link Capability#PSK}).
         *
         * @param psk the identity and key a client presents
         * @return this builder
         */
        public Builder preSharedKey(PreSharedKey psk) {
            this.preSharedKey = Objects.requireNonNull(psk, "psk");
            return this;
        }

        /**
         * How a server finds PSKs (needs {@link Capability#PSK}).
         *
         * @param store looks up the key for the identity a client presents
         * @return this builder
         */
        public Builder pskKeyStore(PskKeyStore store) {
            this.pskKeyStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The identity hint a PSK server sends.
         *
         * @param hint the hint; a client may use it to choose its identity
         * @return this builder
         */
        public Builder pskIdentityHint(String hint) {
            this.pskIdentityHint = Objects.requireNonNull(hint, "hint");
            return this;
        }

        /**
         * Negotiate the heartbeat extension (needs {@link Capability#HEARTBEAT}).
         *
         * @param on whether to negotiate it; the liveness check then uses the default interval and
         *     timeout
         * @return this builder
         */
        public Builder heartbeat(boolean on) {
            this.heartbeat = on;
            return this;
        }

        /**
         * Negotiate the heartbeat extension (needs {@link Capability#HEARTBEAT}) and check the
         * peer's liveness: after {@code interval} of silence send a heartbeat request, and fail
         * the session if no response comes within {@code timeout}.
         *
         * @param interval the silence after which a heartbeat request is sent, positive
         * @param timeout how long a request may go unanswered before the session fails, positive
         * @return this builder
         * @since 0.1
         */
        public Builder heartbeat(Duration interval, Duration timeout) {
            this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
            this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
            this.heartbeat = true;
            return this;
        }

        /**
         * Use connection IDs and ask the peer for one of {@code length} bytes, 0 to 255
         * (needs {@link Capability#CONNECTION_ID}).
         *
         * @param length the connection ID length this side asks for, 0 to 255; 0 asks the peer to
         *     send none
         * @return this builder
         */
        public Builder connectionIdLength(int length) {
            this.connectionIdLength = length;
            return this;
        }

        /**
         * Offer use_srtp with these profiles, most preferred first, e.g.
         * {@code SRTP_AES128_CM_SHA1_80} (needs {@link Capability#SRTP}; the names are
         * {@link SrtpProfiles#names()}). A server picks the first of its own that the client offers.
         *
         * @param profiles the profile names, most preferred first
         * @return this builder
         */
        public Builder srtpProfiles(String... profiles) {
            this.srtpProfiles = List.of(profiles);
            return this;
        }

        /**
         * A server protects its stateless session tickets with keys derived from {@code keys}
         * (needs {@link Capability#SHARED_SESSION_TICKETS}): every node built from the same keys
         * resumes the sessions of the others. A ticket made in one generation of the keys
         * resumes in the next, not later. Pair it with {@link CookieAuthority#hmacSha256(SharedKeys)}
         * so the cookies verify at every node too.
         *
         * @param keys the keys shared by the nodes
         * @return this builder
         */
        public Builder sessionTicketKeys(SharedKeys keys) {
            this.sessionTicketKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the immutable configuration
         * @throws DtlsConfigurationException naming the setting to change
         */
        public DtlsConfig build() {
            if (protocolVersions != null && protocolVersions.isEmpty()) {
                throw new DtlsConfigurationException("no protocol version enabled; call protocolVersions(ProtocolVersion.DTLS_1_2)");
            }
            if (cipherSuites != null) {
                if (cipherSuites.isEmpty()) {
                    throw new DtlsConfigurationException("no cipher suite enabled; leave cipherSuites unset for the secure defaults");
                }
                for (String s : cipherSuites) {
                    if (!s.startsWith("TLS_")) {
                        throw new DtlsConfigurationException("'" + s + "' is not an IANA cipher suite name;"
                                + " use names like TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
                    }
                    if (!s.contains("_WITH_") && !TLS13_CIPHER_SUITES.contains(s)) {
                        throw new DtlsConfigurationException("'" + s + "' is not a TLS 1.3 suite dtls4j accepts"
                                + " (AEAD with a 16-byte tag only); use one of " + TLS13_CIPHER_SUITES);
                    }
                }
            }
            positive(initialRetransmitTimeout, "initial retransmission interval");
            positive(maxRetransmitTimeout, "maximum retransmission interval");
            positive(handshakeTimeout, "handshake timeout");
            positive(heartbeatInterval, "heartbeat interval");
            positive(heartbeatTimeout, "heartbeat timeout");
            if (maxRetransmitTimeout.compareTo(initialRetransmitTimeout) < 0) {
                throw new DtlsConfigurationException("maximum retransmission interval " + maxRetransmitTimeout
                        + " is below the initial interval " + initialRetransmitTimeout
                        + "; call retransmission(initial, maximum) with maximum >= initial");
            }
            if (handshakeTimeout.compareTo(initialRetransmitTimeout) < 0) {
                throw new DtlsConfigurationException("handshake timeout " + handshakeTimeout
                        + " is shorter than one retransmission interval " + initialRetransmitTimeout
                        + "; raise handshakeTimeout(...) so at least one retransmission fits");
            }
            if (maxDatagramSize < MIN_DATAGRAM_SIZE || maxDatagramSize > MAX_DATAGRAM_SIZE) {
                throw new DtlsConfigurationException("maxDatagramSize " + maxDatagramSize + " is outside "
                        + MIN_DATAGRAM_SIZE + ".." + MAX_DATAGRAM_SIZE + "; set the path MTU minus IP and UDP headers");
            }
            for (String p : applicationProtocols) {
                int n = p.getBytes(StandardCharsets.UTF_8).length;
                if (n == 0 || n > 255) {
                    throw new DtlsConfigurationException("ALPN protocol '" + p + "' must be 1 to 255 bytes in UTF-8");
                }
            }
            if (serverName != null && serverName.length() > 1 && serverName.endsWith(".")) {
                // RFC 6066 section 3: the SNI host name has no trailing dot; JSSE's SNIHostName refuses one
                throw new DtlsConfigurationException("server name '" + serverName + "' ends with a trailing dot,"
                        + " which SNI does not allow; give '" + serverName.substring(0, serverName.length() - 1) + "'");
            }
            if (serverName != null && (!HOST_NAME.matcher(serverName).matches() || isIpLiteral(serverName))) {
                throw new DtlsConfigurationException("server name '" + serverName
                        + "' is not a DNS host name (SNI carries no IP addresses); give a host name or leave it unset");
            }
            if (connectionIdLength != null && (connectionIdLength > 255 || connectionIdLength < 0)) {
                throw new DtlsConfigurationException("connection ID length " + connectionIdLength + " is outside 0..255");
            }
            for (String profile : srtpProfiles) {
                if (SrtpProfiles.id(profile).isEmpty()) {
                    throw new DtlsConfigurationException("'" + profile + "' is not an SRTP protection profile dtls4j knows;"
                            + " use one of " + SrtpProfiles.names());
                }
            }
            if (new HashSet<>(srtpProfiles).size() != srtpProfiles.size()) {
                throw new DtlsConfigurationException("SRTP profiles " + srtpProfiles + " name a profile twice; give each once");
            }
            DtlsConfig config = new DtlsConfig(this);
            SuiteVersions.check(config);
            boolean psk = preSharedKey != null || pskKeyStore != null;
            if (psk && !ConfigFacts.hasPskSuites(config)) {
                throw new DtlsConfigurationException("a PSK is configured but no PSK cipher suite is enabled;"
                        + " add one such as TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, or leave cipherSuites unset");
            }
            if (!psk && !ConfigFacts.hasCertificateSuites(config)) {
                throw new DtlsConfigurationException("only PSK cipher suites are enabled but no PSK is configured;"
                        + " call preSharedKey(...) or pskKeyStore(...), or enable certificate suites");
            }
            List<String> legacySuites = config.cipherSuites.stream().filter(s -> !ConfigFacts.isTls13Suite(s)).toList();
            if (credentials != null && legacySuites.stream().anyMatch(s -> !s.contains("_PSK_")) && !psk) {
                // TLS 1.3 suites sign with any key; a DTLS 1.2 suite names the key it signs with
                String alg = credentials.keyAlgorithm();
                // In (D)TLS 1.2 EdDSA keys sign for the ECDSA suites (RFC 8422) and RSA-PSS keys for the RSA ones.
                String needle = switch (alg) {
                    case "EC", "EdDSA", "Ed25519", "Ed448" -> "_ECDSA_";
                    case "RSA", "RSASSA-PSS" -> "_RSA_";
                    default -> "_" + alg + "_";
                };
                if (legacySuites.stream().noneMatch(s -> s.contains(needle))) {
                    throw new DtlsConfigurationException("the credentials hold an " + alg
                            + " key but no enabled cipher suite authenticates with " + alg
                            + "; add a suite such as " + (needle.equals("_ECDSA_")
                                    ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
                }
            }
            return config;
        }

        private static void positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new DtlsConfigurationException(what + " must be positive, was " + d);
            }
        }

        private static boolean isIpLiteral(String name) {
            return name.matches("[0-9.]+") || name.contains(":");
        }
    }
}
