package org.dtls4j.openssl;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import org.dtls4j.spi.ThreadScratch;

/**
 * The native buffers a session works in during a call, borrowed per thread
 * ({@link #THREADS}, see {@link ThreadScratch}) rather than kept per session: a datagram is
 * copied into {@link #in} and written to the session's memory BIO; a record is read into
 * {@link #plain} and handed to the listener as a view that lives for that callback; a record
 * to send is copied into {@link #send}; output is read from the BIO into {@link #out} and
 * handed on the same way. Nothing in them outlives the call, so an idle session holds none of
 * them (three buffers of 18 KiB each per session before).
 *
 * <p>Not thread-safe: a set is used by the thread that leased it.
 */
final class Scratch implements AutoCloseable {

    /** Room for any DTLS record: 2^14 plaintext plus 2048 of expansion plus the header. */
    static final int BUFFER = SslHandle.BUFFER;

    /** Every thread's set. */
    static final ThreadScratch<Scratch> THREADS = new ThreadScratch<>(Scratch::new);

    final Memory in = new Memory(BUFFER);
    final Memory plain = new Memory(BUFFER);
    final Memory send = new Memory(BUFFER);
    /** Grows when OpenSSL has more output at once than fits. */
    Memory out = new Memory(BUFFER);
    /** Writable over {@link #in}. */
    final ByteBuffer inView = in.getByteBuffer(0, BUFFER);
    /** Read-only over {@link #plain}, as records are delivered. */
    final ByteBuffer plainView = plain.getByteBuffer(0, BUFFER).asReadOnlyBuffer();
    /** Writable over {@link #send}. */
    final ByteBuffer sendView = send.getByteBuffer(0, BUFFER);
    /** Read-only over {@link #out}, as datagrams are handed on. */
    ByteBuffer outView = out.getByteBuffer(0, BUFFER).asReadOnlyBuffer();

    private Scratch() {
    }

    /** Makes {@link #out} at least {@code size} bytes. */
    void ensureOut(long size) {
        if (size > out.size()) {
            Memory bigger = new Memory(size);
            out.close();
            out = bigger;
            outView = bigger.getByteBuffer(0, size).asReadOnlyBuffer();
        }
    }

    @Override
    public void close() {
        in.close();
        plain.close();
        send.close();
        out.close();
    }
}
