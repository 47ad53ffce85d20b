package org.dtls4j.openssl;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.dtls4j.DtlsConfig;
import org.dtls4j.spi.ClientHellos;

/**
 * An OpenSSL server session's front door: {@code DTLSv1_listen}, which cannot be skipped,
 * and the cookie continuation. Only a cookie our {@code CookieAuthority} verifies over the
 * fields the listener binds ({@link ClientHellos#verifiedCookie}, with a reader of its own), which OpenSSL's
 * callbacks never see, skips OpenSSL's own cookie check.
 *
 * <p>Not thread-safe: part of one {@link OpenSslSession}, used on its caller's thread
 * (OpenSSL's cookie callback runs there too).
 */
final class ServerListen {

    private static final System.Logger LOG = System.getLogger(OpenSslSession.class.getName());

    private final DtlsConfig config;
    private final InetSocketAddress peer;
    private byte[] listenerCookie;
    private boolean listened;

    ServerListen(DtlsConfig config, InetSocketAddress peer) {
        this.config = config;
        this.peer = peer;
    }

    /** A server's first datagram: the cookie the listener verified, if it carries one. */
    void firstDatagram(ByteBuffer datagram) {
        listenerCookie = new ClientHellos().verifiedCookie(config, peer, datagram).orElse(null);
    }

    /** Whether {@code DTLSv1_listen} has accepted a ClientHello. */
    boolean listened() {
        return listened;
    }

    /** For OpenSSL's cookie verify callback. */
    boolean acceptsCookie(byte[] cookie) {
        if (listenerCookie != null && MessageDigest.isEqual(listenerCookie, cookie)) {
            return true;
        }
        return config.cookieAuthority().verify(peer, ByteBuffer.allocate(0).asReadOnlyBuffer(), cookie);
    }

    /**
     * Runs {@code DTLSv1_listen} on the datagram in the read BIO.
     *
     * @return false if the datagram was of no use (no answer and no ClientHello accepted)
     */
    boolean listen(SslHandle handle, DatagramOutput output) {
        int emittedBefore = output.emitted();
        OpenSslErrors.clear();
        int r = LibSsl.DTLSv1_listen(handle.ssl, handle.address);
        String errors = OpenSslErrors.drain();
        if (r > 0) {
            listened = true;
            return true;
        }
        output.drain();
        if (output.emitted() == emittedBefore) {
            LOG.log(System.Logger.Level.TRACE, () -> "DTLSv1_listen dropped a datagram: " + r + " " + errors);
            return false;
        }
        return true;
    }
}
