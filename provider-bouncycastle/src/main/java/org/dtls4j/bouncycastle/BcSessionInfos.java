package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.spi.PeerCertificates;

/**
 * The {@link DtlsSessionInfo} of a completed BouncyCastle handshake. Stateless and
 * thread-safe.
 */
final class BcSessionInfos {

    private BcSessionInfos() {
    }

    /**
     * What the handshake negotiated, from BouncyCastle's security parameters (on a
     * resumption some come from the session instead).
     *
     * @param client the session's client side (null for a server)
     * @param server the session's server side (null for a client)
     * @throws IOException if a raw public key accepted in the handshake is refused now
     */
    static DtlsSessionInfo of(TlsContext c, DtlsConfig config, DtlsRole role, String requestedServerName,
                              BcClient client, BcServer server) throws IOException {
        SecurityParameters p = c.getSecurityParametersConnection();
        org.dtls4j.ProtocolVersion version = p.getNegotiatedVersion().equals(org.bouncycastle.tls.ProtocolVersion.DTLSv10)
                ? org.dtls4j.ProtocolVersion.DTLS_1_0 : org.dtls4j.ProtocolVersion.DTLS_1_2;
        DtlsSessionInfo.Builder b = DtlsSessionInfo.builder(version, CipherSuites.name(p.getCipherSuite()));
        org.bouncycastle.tls.Certificate peer = p.getPeerCertificate();
        if ((peer == null || peer.isEmpty()) && p.isResumedSession() && c.getSession() != null) {
            peer = c.getSession().exportSessionParameters().getPeerCertificate();
        }
        byte[] rawPublicKey = LocalCredentials.rawPublicKey(peer);
        if (rawPublicKey != null) {
            PublicKey accepted = role == DtlsRole.CLIENT ? client.peerRawPublicKey() : server.peerRawPublicKey();
            try {
                // a resumed handshake carries no certificate message: read the key from the session then
                b.peerRawPublicKey(accepted != null ? accepted : PeerCertificates.validateRawPublicKey(config, role, rawPublicKey));
            } catch (PeerCertificates.RefusedException e) {
                throw new IOException("the peer's raw public key, accepted in the handshake, is refused now", e);
            }
        } else {
            // the chain the handshake validated, read once; a resumed handshake saw none
            List<X509Certificate> validated = role == DtlsRole.CLIENT ? client.peerChain()
                    : server.peerChain();
            b.peerCertificates(validated != null && !p.isResumedSession() ? validated : LocalCredentials.x509(peer));
        }
        if (p.getApplicationProtocol() != null) {
            b.applicationProtocol(p.getApplicationProtocol().getUtf8Decoding());
        }
        b.serverName(role == DtlsRole.CLIENT ? requestedServerName : server.requestedServerName());
        b.srtpProfile(role == DtlsRole.CLIENT ? client.srtpProfile() : server.srtpProfile());
        b.resumed(p.isResumedSession());
        byte[] psk = p.getPSKIdentity();
        if (psk == null && p.isResumedSession() && c.getSession() != null) {
            psk = c.getSession().exportSessionParameters().getPSKIdentity();
        }
        if (psk != null && CipherSuites.isPsk(p.getCipherSuite())) {
            b.pskIdentity(psk);
        }
        // BouncyCastle's "local" CID is the one this side writes (the peer asked for it) and
        // its "peer" CID the one it reads; dtls4j's local CID is the one this side asked for
        byte[] asked = p.getConnectionIDPeer();
        byte[] writes = p.getConnectionIDLocal();
        if (asked != null && writes != null) {
            b.connectionIds(asked, writes);
        }
        return b.build();
    }
}
