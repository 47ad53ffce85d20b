package org.dtls4j.bouncycastle;

import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * A BouncyCastle session's keying material exporter (RFC 5705). BouncyCastle forgets its
 * master secret after the handshake, so this keeps a copy from the moment the handshake
 * completes until the session ends. The caller has checked the arguments and the state
 * ({@code SessionPreconditions}).
 *
 * <p>Thread-safe: the secret is kept on the handshake thread and read or destroyed on the
 * caller's.
 */
final class BcExporter {

    private volatile TlsSecret exporterSecret;

    /** At the end of a handshake: keeps the master secret if the peer negotiated extended_master_secret. */
    void keep(TlsContext context) {
        SecurityParameters p = context.getSecurityParametersConnection() != null
                ? context.getSecurityParametersConnection() : context.getSecurityParametersHandshake();
        if (p != null && p.isExtendedMasterSecret() && p.getMasterSecret() != null) {
            exporterSecret = context.getCrypto().adoptSecret(p.getMasterSecret());
        }
    }

    /** Derives {@code length} bytes; {@code context} null for none (which differs from an empty one). */
    byte[] export(TlsContext c, String label, byte[] context, int length) {
        TlsSecret secret = exporterSecret;
        if (c == null) {
            throw new IllegalStateException("keying material can be exported only from an established session");
        }
        if (secret == null) {
            throw new IllegalStateException("this session cannot export keying material: the peer did not negotiate"
                    + " extended_master_secret (RFC 7627), which BouncyCastle requires for RFC 5705 exporters");
        }
        // RFC 5705 section 4 for DTLS 1.2: PRF(master_secret, label, client_random + server_random
        // [+ context length + context]); BouncyCastle forgets its master secret after the handshake
        SecurityParameters p = c.getSecurityParametersConnection();
        return TlsUtils.PRF(p, secret, label, TlsUtils.calculateExporterSeed(p, context), length).extract();
    }

    /** When the session ends: the secret is wiped. */
    void destroy() {
        TlsSecret s = exporterSecret;
        exporterSecret = null;
        if (s != null) {
            s.destroy();
        }
    }
}
