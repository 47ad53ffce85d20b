package org.dtls4j;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handshake negotiated, reported the same way by every provider and on both
 * sides of a connection.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class DtlsSessionInfo {

    private final ProtocolVersion protocolVersion;
    private final String cipherSuite;
    private final List<X509Certificate> peerCertificates;
    private final Optional<String> applicationProtocol;
    private final Optional<String> serverName;
    private final boolean resumed;
    private final Optional<String> srtpProfile;
    private final byte[] localConnectionId;
    private final byte[] peerConnectionId;
    private final Optional<PublicKey> peerRawPublicKey;
    private final byte[] pskIdentity;

    private DtlsSessionInfo(Builder b) {
        this.protocolVersion = Objects.requireNonNull(b.protocolVersion, "protocolVersion");
        this.cipherSuite = Objects.requireNonNull(b.cipherSuite, "cipherSuite");
        this.peerCertificates = List.copyOf(b.peerCertificates);
        this.applicationProtocol = Optional.ofNullable(b.applicationProtocol);
        this.serverName = Optional.ofNullable(b.serverName);
        this.resumed = b.resumed;
        this.srtpProfile = Optional.ofNullable(b.srtpProfile);
        this.localConnectionId = b.localConnectionId;
        this.peerConnectionId = b.peerConnectionId;
        this.peerRawPublicKey = Optional.ofNullable(b.peerRawPublicKey);
        this.pskIdentity = b.pskIdentity;
    }

    /**
     * {@return a builder for providers, which report what their handshakes negotiated with it}
     *
     * <p>It stays on this type, public, rather than in {@code org.dtls4j.spi}, because Java has
     * no package-to-package access: a builder in another package could only make an info
     * through some public constructor or hook here, which would be the same member under a
     * second name. Users have no reason to call it (an info they build describes no
     * handshake), and nothing in the api accepts one from them.
     *
     * @param protocolVersion the negotiated version
     * @param cipherSuite the negotiated suite by its IANA name
     */
    public static Builder builder(ProtocolVersion protocolVersion, String cipherSuite) {
        return new Builder(protocolVersion, cipherSuite);
    }

    /** {@return the negotiated protocol version} */
    public ProtocolVersion protocolVersion() {
        return protocolVersion;
    }

    /**
     * {@return the negotiated cipher suite by its IANA name, such as
     * {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}
     */
    public String cipherSuite() {
        return cipherSuite;
    }

    /**
     * {@return the peer's certificate chain, end-entity first; empty if it sent none or a raw public key}
     */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /**
     * {@return the PSK identity of a pre-shared key handshake (RFC 4279): on a server, the one the
     * client presented, which tells which client this is; on a client, the one it sent}
     */
    public Optional<byte[]> pskIdentity() {
        return Optional.ofNullable(pskIdentity).map(byte[]::clone);
    }

    /**
     * {@return the raw public key (RFC 7250) the peer authenticated with, if it sent one instead of
     * a certificate}
     */
    public Optional<PublicKey> peerRawPublicKey() {
        return peerRawPublicKey;
    }

    /** {@return the protocol ALPN selected, if any} */
    public Optional<String> applicationProtocol() {
        return applicationProtocol;
    }

    /** {@return the server name (SNI) the client asked for, if any} */
    public Optional<String> serverName() {
        return serverName;
    }

    /** {@return whether this was an abbreviated handshake that resumed an earlier session} */
    public boolean resumed() {
        return resumed;
    }

    /**
     * {@return the SRTP protection profile use_srtp negotiated (RFC 5764), such as
     * {@code SRTP_AES128_CM_SHA1_80}}
     */
    public Optional<String> srtpProfile() {
        return srtpProfile;
    }

    /**
     * {@return the connection ID this side asked the peer to put on records it sends here
     * (RFC 9146), if CID was negotiated; it may be zero bytes long}
     */
    public Optional<byte[]> localConnectionId() {
        return Optional.ofNullable(localConnectionId).map(byte[]::clone);
    }

    /**
     * {@return the connection ID this side puts on records it sends to the peer, if CID was negotiated}
     */
    public Optional<byte[]> peerConnectionId() {
        return Optional.ofNullable(peerConnectionId).map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsSessionInfo i && protocolVersion == i.protocolVersion
                && cipherSuite.equals(i.cipherSuite) && peerCertificates.equals(i.peerCertificates)
                && applicationProtocol.equals(i.applicationProtocol) && serverName.equals(i.serverName)
                && resumed == i.resumed && srtpProfile.equals(i.srtpProfile) && peerRawPublicKey.equals(i.peerRawPublicKey)
                && java.util.Arrays.equals(pskIdentity, i.pskIdentity)
                && java.util.Arrays.equals(localConnectionId, i.localConnectionId)
                && java.util.Arrays.equals(peerConnectionId, i.peerConnectionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, cipherSuite, peerCertificates, applicationProtocol, serverName, resumed,
                srtpProfile);
    }

    @Override
    public String toString() {
        return protocolVersion.standardName() + " " + cipherSuite
                + applicationProtocol.map(p -> " alpn=" + p).orElse("")
                + serverName.map(s -> " sni=" + s).orElse("")
                + (resumed ? " resumed" : "")
                + srtpProfile.map(p -> " srtp=" + p).orElse("")
                + (pskIdentity != null ? " psk=" + new String(pskIdentity, java.nio.charset.StandardCharsets.UTF_8) : "")
                + (localConnectionId != null ? " cid=" + java.util.HexFormat.of().formatHex(localConnectionId) : "")
                + (peerRawPublicKey.isPresent() ? " peerRawPublicKey=" + peerRawPublicKey.get().getAlgorithm()
                        : " peerCertificates=" + peerCertificates.size());
    }

    /**
     * Builds a {@link DtlsSessionInfo}; for providers (see {@link DtlsSessionInfo#builder}).
     * Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final ProtocolVersion protocolVersion;
        private final String cipherSuite;
        private List<X509Certificate> peerCertificates = List.of();
        private PublicKey peerRawPublicKey;
        private byte[] pskIdentity;
        private String applicationProtocol;
        private String serverName;
        private boolean resumed;
        private String srtpProfile;
        private byte[] localConnectionId;
        private byte[] peerConnectionId;

        private Builder(ProtocolVersion protocolVersion, String cipherSuite) {
            this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion");
            this.cipherSuite = Objects.requireNonNull(cipherSuite, "cipherSuite");
        }

        /**
         * The PSK identity of a pre-shared key handshake.
         *
         * @param identity the identity bytes; copied
         * @return this builder
         */
        public Builder pskIdentity(byte[] identity) {
            this.pskIdentity = identity.clone();
            return this;
        }

        /**
         * The raw public key the peer authenticated with (RFC 7250).
         *
         * @param key the peer's key
         * @return this builder
         */
        public Builder peerRawPublicKey(PublicKey key) {
            this.peerRawPublicKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * The peer's certificate chain, end-entity first; empty if it sent none.
         *
         * @param chain the chain; copied
         * @return this builder
         */
        public Builder peerCertificates(List<X509Certificate> chain) {
            this.peerCertificates = List.copyOf(chain);
            return this;
        }

        /**
         * The selected ALPN protocol; an empty string means none.
         *
         * @param protocol the protocol name
         * @return this builder
         */
        public Builder applicationProtocol(String protocol) {
            this.applicationProtocol = protocol.isEmpty() ? null : protocol;
            return this;
        }

        /**
         * The SNI host name; an empty string means none.
         *
         * @param name the host name
         * @return this builder
         */
        public Builder serverName(String name) {
            this.serverName = name.isEmpty() ? null : name;
            return this;
        }

        /**
         * Whether the handshake resumed an earlier session.
         *
         * @param resumed true for an abbreviated handshake
         * @return this builder
         */
        public Builder resumed(boolean resumed) {
            this.resumed = resumed;
            return this;
        }

        /**
         * The negotiated SRTP profile; an empty string means none.
         *
         * @param profile the profile name, such as {@code SRTP_AES128_CM_SHA1_80}
         * @return this builder
         */
        public Builder srtpProfile(String profile) {
            this.srtpProfile = profile.isEmpty() ? null : profile;
            return this;
        }

        /**
         * The negotiated connection IDs (RFC 9146): the one this side receives with, and the one it
         * sends with.
         *
         * @param local the connection ID this side receives with; copied
         * @param peer the connection ID this side sends with; copied
         * @return this builder
         */
        public Builder connectionIds(byte[] local, byte[] peer) {
            this.localConnectionId = local.clone();
            this.peerConnectionId = peer.clone();
            return this;
        }

        /** {@return the immutable session info} */
        public DtlsSessionInfo build() {
            return new DtlsSessionInfo(this);
        }
    }
}
