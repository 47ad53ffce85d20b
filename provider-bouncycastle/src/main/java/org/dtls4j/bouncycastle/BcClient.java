package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AbstractTlsClient;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsHeartbeat;
import org.bouncycastle.tls.TlsPSKIdentity;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.UseSRTPData;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.spi.PeerCertificates;

/**
 * The client half of one handshake, as BouncyCastle asks for it: versions, suites,
 * extensions, credentials and the verdict on the server's chain, all from the
 * {@link DtlsConfig}. One instance per session; called on the handshake thread.
 */
final class BcClient extends AbstractTlsClient {

    private final BcContext owner;
    private final DtlsConfig config;
    private final InetSocketAddress peer;
    private final String sni;
    private final PeerEvents events;
    private final byte[] localConnectionId;
    /** The SRTP profile the server chose; "" until then, or if it chose none. */
    private volatile String srtpProfile = "";
    /** The peer's raw public key as the handshake accepted it, or null. */
    private volatile PublicKey peerRawPublicKey;
    /** The peer's certificate chain as this handshake validated it (read once, for the session info too), or null. */
    private volatile List<X509Certificate> peerChain;

    BcClient(BcContext owner, InetSocketAddress peer, String sni, byte[] localConnectionId, PeerEvents events) {
        super(owner.crypto());
        this.owner = owner;
        this.config = owner.config();
        this.peer = peer;
        this.sni = sni;
        this.localConnectionId = localConnectionId;
        this.events = events;
    }

    @Override
    public void init(TlsClientContext context) {
        super.init(context);
        events.tlsContext(context);
    }

    @Override
    protected org.bouncycastle.tls.ProtocolVersion[] getSupportedVersions() {
        return owner.versions();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return owner.clientSuites();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return owner.handshakeTimeoutMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return owner.initialResendMillis();
    }

    @Override
    public TlsSession getSessionToResume() {
        return owner.cachedClientSession(peer);
    }

    @Override
    protected Vector<?> getSNIServerNames() {
        if (sni.isEmpty()) {
            return null;
        }
        Vector<ServerName> names = new Vector<>();
        names.add(new ServerName(NameType.host_name, sni.getBytes(StandardCharsets.US_ASCII)));
        return names;
    }

    @Override
    protected Vector<?> getProtocolNames() {
        return Alpn.names(config.applicationProtocols());
    }

    @Override
    protected byte[] getNewConnectionID() {
        return localConnectionId;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's signature
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        UseSRTPData offer = Srtp.offer(config.srtpProfiles());
        if (offer != null) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, offer);
        }
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes") // BouncyCastle's signature
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        srtpProfile = Srtp.chosenByServer(config.srtpProfiles(),
                serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions));
    }

    /** The SRTP profile the server chose, or "". */
    String srtpProfile() {
        return srtpProfile;
    }

    /** The peer's raw public key as this handshake accepted it; null if it sent none (or resumed). */
    PublicKey peerRawPublicKey() {
        return peerRawPublicKey;
    }

    /** The peer's certificate chain as this handshake validated it; null if it sent none (or resumed). */
    List<X509Certificate> peerChain() {
        return peerChain;
    }

    @Override
    protected short[] getAllowedServerCertificateTypes() {
        return CertificateTypes.acceptedFromPeer(config);
    }

    @Override
    protected short[] getAllowedClientCertificateTypes() {
        return CertificateTypes.own(owner.credentials());
    }

    @Override
    public TlsPSKIdentity getPSKIdentity() {
        return config.preSharedKey().map(p -> new BasicTlsPSKIdentity(p.identity(), p.key())).orElse(null);
    }

    @Override
    public TlsHeartbeat getHeartbeat() {
        return owner.heartbeat();
    }

    @Override
    public short getHeartbeatPolicy() {
        return owner.heartbeatPolicy();
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                try {
                    byte[] raw = LocalCredentials.rawPublicKey(serverCertificate.getCertificate());
                    if (raw != null) {
                        peerRawPublicKey = PeerCertificates.validateRawPublicKey(config, DtlsRole.CLIENT, raw);
                        return;
                    }
                    List<X509Certificate> chain = LocalCredentials.x509(serverCertificate.getCertificate());
                    PeerCertificates.validate(config, DtlsRole.CLIENT, chain, config.serverName().orElse(""));
                    peerChain = chain;
                } catch (PeerCertificates.RefusedException refused) {
                    throw new TlsFatalAlert((short) refused.alert().code(), refused.getMessage(), refused);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                LocalCredentials local = owner.credentials();
                return local == null ? null : local.signer(context, request.getSupportedSignatureAlgorithms());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        events.handshakeComplete(context);
        TlsSession session = context.getSession();
        if (session != null && session.isResumable()) {
            owner.cacheClientSession(peer, session);
        }
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        events.alertRaised(level, description, message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        events.alertReceived(level, description);
    }
}
