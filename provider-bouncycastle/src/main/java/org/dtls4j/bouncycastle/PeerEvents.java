package org.dtls4j.bouncycastle;

import org.bouncycastle.tls.TlsContext;

/**
 * What a BouncyCastle peer ({@link BcClient}, {@link BcServer}) tells its session while
 * the protocol runs, on whichever thread runs it.
 */
interface PeerEvents {

    /** The peer object was initialised with the connection's TLS context. */
    void tlsContext(TlsContext context);

    /** BouncyCastle's {@code notifyHandshakeComplete}: the last moment its master secret is readable. */
    void handshakeComplete(TlsContext context);

    /** This side is sending an alert. */
    void alertRaised(short level, short description, String message, Throwable cause);

    /** The peer sent an alert. */
    void alertReceived(short level, short description);
}
