package org.dtls4j.openssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsRole;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.DtlsRecords;

/**
 * The native state one session owns: its {@code SSL}, the two memory BIOs, a server's
 * {@code BIO_ADDR} for {@code DTLSv1_listen}, and the native buffers datagrams pass
 * through. Made by {@link #open}, freed exactly once by {@link #run} (on close or failure,
 * or by the Cleaner for an abandoned session).
 *
 * <p>Not thread-safe: owned by one {@link OpenSslSession}; {@link #out} grows on its
 * caller's thread.
 */
final class SslHandle implements Runnable {

    /** Room for any DTLS record: 2^14 plaintext plus 2048 of expansion plus the header. */
    static final int BUFFER = 16384 + 2048 + DtlsRecords.HEADER_SIZE;

    final Pointer ssl;
    final Pointer rbio;
    final Pointer wbio;
    final Pointer address;
    final Memory timeval = new Memory(16);

    private SslHandle(Pointer ssl, Pointer rbio, Pointer wbio, Pointer address) {
        this.ssl = ssl;
        this.rbio = rbio;
        this.wbio = wbio;
        this.address = address;
    }

    @Override
    public void run() {
        OpenSslSession.forget(ssl);
        LibSsl.SSL_free(ssl); // frees both BIOs it owns
        NativeObjects.COUNTS.freed(NativeObjects.Type.SSL);
        NativeObjects.COUNTS.freed(NativeObjects.Type.BIO);
        NativeObjects.COUNTS.freed(NativeObjects.Type.BIO);
        if (address != null) {
            LibSsl.BIO_ADDR_free(address);
            NativeObjects.COUNTS.freed(NativeObjects.Type.BIO_ADDR);
        }
        timeval.close();
    }

    /** A fresh {@code SSL} of {@code ctx} between two memory BIOs, for {@code role}. */
    static SslHandle open(Pointer ctx, DtlsRole role) {
        OpenSslErrors.clear();
        Pointer ssl = LibSsl.SSL_new(ctx);
        if (ssl == null) {
            throw new DtlsException("SSL_new failed: " + OpenSslErrors.drain());
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.SSL);
        Pointer rbio = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        Pointer wbio = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        if (rbio == null || wbio == null) {
            for (Pointer b : new Pointer[] {rbio, wbio}) {
                if (b != null) {
                    LibSsl.BIO_free(b);
                }
            }
            LibSsl.SSL_free(ssl);
            NativeObjects.COUNTS.freed(NativeObjects.Type.SSL);
            throw new DtlsException("BIO_new failed: " + OpenSslErrors.drain());
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.BIO);
        NativeObjects.COUNTS.created(NativeObjects.Type.BIO);
        // An empty memory BIO reads as "retry", not end of file.
        LibSsl.BIO_ctrl(rbio, LibSsl.BIO_C_SET_BUF_MEM_EOF_RETURN, -1, null);
        LibSsl.BIO_ctrl(wbio, LibSsl.BIO_C_SET_BUF_MEM_EOF_RETURN, -1, null);
        LibSsl.SSL_set_bio(ssl, rbio, wbio);
        Pointer address = null;
        if (role == DtlsRole.SERVER) {
            address = LibSsl.BIO_ADDR_new(); // DTLSv1_listen writes here; NULL crashes it
            if (address != null) {
                NativeObjects.COUNTS.created(NativeObjects.Type.BIO_ADDR);
            }
        }
        SslHandle handle = new SslHandle(ssl, rbio, wbio, address);
        if (role == DtlsRole.SERVER && address == null) {
            handle.run();
            throw new DtlsException("BIO_ADDR_new failed: " + OpenSslErrors.drain());
        }
        return handle;
    }

    /**
     * Sets the {@code SSL} up for {@code role}: link MTU, timer callback, a client's
     * verification, SNI and resumption, a server's verification mode.
     */
    void configure(OpenSslContext context, DtlsConfig c, DtlsRole role, String requestedServerName,
                   InetSocketAddress peer) {
        LibSsl.SSL_set_options(ssl, LibSsl.SSL_OP_NO_QUERY_MTU);
        if (LibSsl.SSL_ctrl(ssl, LibSsl.DTLS_CTRL_SET_LINK_MTU, c.maxDatagramSize(), null) != 1) {
            throw new DtlsException("DTLS_set_link_mtu(" + c.maxDatagramSize() + ") failed: " + OpenSslErrors.drain());
        }
        LibSsl.DTLS_set_timer_cb(ssl, Callbacks.TIMER);
        if (role == DtlsRole.CLIENT) {
            LibSsl.SSL_set_connect_state(ssl);
            // A client offers tickets, so a server node with shared ticket keys can issue one
            // that the next node resumes; the context's SSL_OP_NO_TICKET is for its servers.
            LibSsl.SSL_clear_options(ssl, LibSsl.SSL_OP_NO_TICKET);
            // The shared validator decides for every mode, NONE included (it still runs the verifier).
            LibSsl.SSL_set_verify(ssl, LibSsl.SSL_VERIFY_PEER, null);
            if (!requestedServerName.isEmpty()) {
                byte[] name = requestedServerName.getBytes(StandardCharsets.US_ASCII);
                try (Memory m = new Memory(name.length + 1)) {
                    m.write(0, name, 0, name.length);
                    m.setByte(name.length, (byte) 0);
                    if (LibSsl.SSL_ctrl(ssl, LibSsl.SSL_CTRL_SET_TLSEXT_HOSTNAME, LibSsl.TLSEXT_NAMETYPE_HOST_NAME, m) != 1) {
                        throw new DtlsException("cannot set the SNI host name: " + OpenSslErrors.drain());
                    }
                }
            }
            context.resumeInto(ssl, peer);
        } else {
            LibSsl.SSL_set_accept_state(ssl);
            int mode = switch (ConfigFacts.peerVerification(c, DtlsRole.SERVER)) {
                case NONE -> LibSsl.SSL_VERIFY_NONE;
                case OPTIONAL -> LibSsl.SSL_VERIFY_PEER;
                case REQUIRED -> LibSsl.SSL_VERIFY_PEER | LibSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
            };
            LibSsl.SSL_set_verify(ssl, mode, null);
        }
    }
}
