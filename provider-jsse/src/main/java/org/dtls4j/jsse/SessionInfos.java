package org.dtls4j.jsse;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.ProtocolVersion;

/**
 * Reads what a finished JSSE handshake negotiated into a {@link DtlsSessionInfo}.
 *
 * <p>Stateless and thread-safe.
 */
final class SessionInfos {

    private SessionInfos() {
    }

    /**
     * @param requestedServerName for a client, the SNI it sent ("" if none); a server reads
     *        the name from the session
     * @param resumed whether the handshake resumed an earlier session ({@link SessionIds})
     */
    static DtlsSessionInfo of(SSLEngine engine, DtlsRole role, String requestedServerName, boolean resumed) {
        SSLSession session = engine.getSession();
        DtlsSessionInfo.Builder b = DtlsSessionInfo.builder(
                ProtocolVersion.of(session.getProtocol()), session.getCipherSuite());
        b.peerCertificates(peerCertificates(session));
        String alpn = engine.getApplicationProtocol();
        if (alpn != null) {
            b.applicationProtocol(alpn); // "" when none was negotiated
        }
        b.serverName(role == DtlsRole.CLIENT ? requestedServerName : requestedServerName(session));
        b.resumed(resumed);
        return b.build();
    }

    private static List<X509Certificate> peerCertificates(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>(chain.length);
            for (Certificate c : chain) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    /** The host name the client asked a server for, "" if none. */
    private static String requestedServerName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return name instanceof SNIHostName host ? host.getAsciiName()
                            : new SNIHostName(name.getEncoded()).getAsciiName();
                }
            }
        }
        return "";
    }
}
