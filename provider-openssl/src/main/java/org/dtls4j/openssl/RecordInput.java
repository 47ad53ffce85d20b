package org.dtls4j.openssl;

import java.nio.ByteBuffer;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.ThreadScratch;

/**
 * An OpenSSL session's record path in after the handshake: {@code SSL_read} per record of
 * the datagram just written to the read BIO, each delivered to the listener from the
 * native buffer without a copy; the peer's close_notify answered with ours.
 *
 * <p>Not thread-safe: part of one {@link OpenSslSession}, used on its caller's thread.
 */
final class RecordInput {

    /** A DTLS record carries at most 2^14 bytes of plaintext. */
    static final int MAX_PLAINTEXT = 16384;

    /** What the record path needs of its session, whose state it does not own. */
    interface Session {
        boolean established();

        /** The peer sent close_notify and it was answered. */
        void peerClosed();

        /** {@code SSL_read} failed with {@code sslError}; {@code errors} is the drained error queue. */
        void failed(int sslError, String errors);
    }

    private final SslHandle handle;
    private final DatagramOutput output;
    private final DtlsSessionListener listener;
    private final Session session;
    private int delivered;

    RecordInput(SslHandle handle, DatagramOutput output, DtlsSessionListener listener, Session session) {
        this.handle = handle;
        this.output = output;
        this.listener = listener;
        this.session = session;
    }

    /** Records delivered so far. */
    int delivered() {
        return delivered;
    }

    /**
     * Reads the application records of the datagram just written, at most {@code records}:
     * one SSL_read per record, and no extra call to learn that a one-record datagram is done.
     */
    void read(int records) {
        ThreadScratch.Lease<Scratch> lease = Scratch.THREADS.enter(handle);
        Scratch scratch = lease.buffers();
        try {
            read(records, scratch);
        } finally {
            lease.exit();
        }
    }

    private void read(int records, Scratch scratch) {
        ByteBuffer plainView = scratch.plainView;
        for (int read = 0; session.established(); ) {
            OpenSslErrors.clear();
            int r = LibSsl.SSL_read(handle.ssl, scratch.plain, MAX_PLAINTEXT);
            if (r > 0) {
                delivered++;
                plainView.clear();
                plainView.limit(r);
                listener.onRecord(plainView);
                if (++read >= records) {
                    output.drain();
                    return;
                }
                continue;
            }
            int e = LibSsl.SSL_get_error(handle.ssl, r);
            String errors = OpenSslErrors.drain();
            output.drain();
            if (e == LibSsl.SSL_ERROR_ZERO_RETURN) {
                // Answer with our close_notify (RFC 5246 section 7.2.1). It also marks the
                // session cleanly shut down, which keeps it in the server's cache for resumption.
                OpenSslErrors.clear();
                LibSsl.SSL_shutdown(handle.ssl);
                OpenSslErrors.clear();
                output.drain();
                session.peerClosed();
                return;
            }
            if (e == LibSsl.SSL_ERROR_WANT_READ || e == LibSsl.SSL_ERROR_WANT_WRITE) {
                return;
            }
            session.failed(e, errors);
        }
    }
}
