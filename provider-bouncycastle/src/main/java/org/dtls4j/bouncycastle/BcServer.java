package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AbstractTlsServer;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsHeartbeat;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerContext;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsRole;
import org.dtls4j.PeerVerification;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.PeerCertificates;

/**
 * The server half of one handshake, as BouncyCastle asks for it: suites that fit the
 * configured key (BouncyCastle's {@code DefaultTlsServer} would offer only RSA ones), the
 * signer, PSK look-ups, the certificate request and the verdict on the client's chain,
 * the session cache, ALPN and SNI. One instance per session; called on the handshake
 * thread.
 */
final class BcServer extends AbstractTlsServer {

    private final BcContext owner;
    private final DtlsConfig config;
    private final PeerEvents events;
    private final byte[] localConnectionId;
    /** The SRTP profile chosen from the client's offer; "" if none. */
    private volatile String srtpProfile = "";
    /** The peer's raw public key as the handshake accepted it, or null. */
    private volatile PublicKey peerRawPublicKey;
    /** The peer's certificate chain as this handshake validated it (read once, for the session info too), or null. */
    private volatile List<X509Certificate> peerChain;
    private volatile String requestedServerName = "";

    BcServer(BcContext owner, byte[] localConnectionId, PeerEvents events) {
        super(owner.crypto());
        this.owner = owner;
        this.config = owner.config();
        this.localConnectionId = localConnectionId;
        this.events = events;
    }

    /** The SNI host name the client sent, "" if none. */
    String requestedServerName() {
        return requestedServerName;
    }

    @Override
    public void init(TlsServerContext context) {
        super.init(context);
        events.tlsContext(context);
    }

    @Override
    protected org.bouncycastle.tls.ProtocolVersion[] getSupportedVersions() {
        return owner.versions();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return owner.serverSuites();
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
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
    protected Vector<?> getProtocolNames() {
        return Alpn.names(config.applicationProtocols());
    }

    @Override
    protected byte[] getNewConnectionID() {
        return localConnectionId;
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
    @SuppressWarnings("rawtypes") // BouncyCastle's signature
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        srtpProfile = Srtp.choose(config.srtpProfiles(),
                clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions));
        Vector<?> names = TlsExtensionsUtils.getServerNameExtensionClient(clientExtensions);
        if (names != null) {
            for (Object o : names) {
                ServerName n = (ServerName) o;
                if (n.getNameType() == NameType.host_name) {
                    requestedServerName = new String(n.getNameData(), StandardCharsets.US_ASCII);
                }
            }
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's signature
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        UseSRTPData answer = Srtp.answer(srtpProfile);
        if (answer != null) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, answer);
        }
        return extensions;
    }

    /** The SRTP profile this server chose, or "". */
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
    protected short[] getAllowedClientCertificateTypes() {
        return CertificateTypes.acceptedFromPeer(config);
    }

    @Override
    public byte[] getNewSessionID() {
        return owner.newSessionId();
    }

    @Override
    public TlsSession getSessionToResume(byte[] sessionID) {
        return owner.cachedServerSession(sessionID);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        events.handshakeComplete(context);
        TlsSession session = context.getSession();
        if (session != null && session.isResumable()) {
            owner.cacheServerSession(session);
        }
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        int suite = context.getSecurityParametersHandshake().getCipherSuite();
        if (CipherSuites.isPsk(suite)) {
            return null;
        }
        LocalCredentials local = owner.credentials();
        TlsCredentials signer = local == null ? null
                : local.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
        if (signer == null) {
            throw new TlsFatalAlert(org.bouncycastle.tls.AlertDescription.handshake_failure,
                    "no signature algorithm the client offered fits the server key");
        }
        return signer;
    }

    @Override
    public TlsPSKIdentityManager getPSKIdentityManager() {
        return config.pskKeyStore().map(store -> (TlsPSKIdentityManager) new TlsPSKIdentityManager() {
            @Override
            public byte[] getHint() {
                return config.pskIdentityHint().map(h -> h.getBytes(StandardCharsets.UTF_8)).orElse(null);
            }

            @Override
            public byte[] getPSK(byte[] identity) {
                return store.keyFor(identity).orElse(null);
            }
        }).orElse(null);
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        if (ConfigFacts.peerVerification(config, DtlsRole.SERVER) == PeerVerification.NONE
                || CipherSuites.isPsk(context.getSecurityParametersHandshake().getCipherSuite())) {
            return null;
        }
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        Vector<?> algorithms = TlsUtils.isSignatureAlgorithmsExtensionAllowed(context.getServerVersion())
                ? TlsUtils.getDefaultSupportedSignatureAlgorithms(context) : null;
        return new CertificateRequest(types, algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        try {
            byte[] raw = LocalCredentials.rawPublicKey(clientCertificate);
            if (raw != null) {
                peerRawPublicKey = PeerCertificates.validateRawPublicKey(config, DtlsRole.SERVER, raw);
                return;
            }
            List<X509Certificate> chain = LocalCredentials.x509(clientCertificate);
            PeerCertificates.validate(config, DtlsRole.SERVER, chain, "");
            peerChain = chain;
        } catch (PeerCertificates.RefusedException refused) {
            throw new TlsFatalAlert((short) refused.alert().code(), refused.getMessage(), refused);
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
