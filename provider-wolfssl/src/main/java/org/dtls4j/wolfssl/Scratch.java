package org.dtls4j.wolfssl;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import org.dtls4j.spi.ThreadScratch;

/**
 * The native buffers a session reads records into and sends them from, borrowed per thread
 * ({@link #THREADS}, see {@link ThreadScratch}) rather than kept per session: a record is read
 * into {@link #plain} and handed to the listener as a view that lives for that callback, and a
 * record to send is copied into {@link #send}. Nothing in them outlives the call, so an idle
 * session holds neither. (A datagram goes to wolfSSL straight from the caller's buffer,
 * {@link DatagramIo}.)
 *
 * <p>Not thread-safe: a set is used by the thread that leased it.
 */
final class Scratch implements AutoCloseable {

    /** Every thread's set. */
    static final ThreadScratch<Scratch> THREADS = new ThreadScratch<>(Scratch::new);

    final Memory plain = new Memory(WolfSslSession.BUFFER);
    final Memory send = new Memory(WolfSslSession.BUFFER);
    /** Read-only over {@link #plain}, as records are delivered. */
    final ByteBuffer plainView = plain.getByteBuffer(0, WolfSslSession.BUFFER).asReadOnlyBuffer();
    /** Writable over {@link #send}. */
    final ByteBuffer sendView = send.getByteBuffer(0, WolfSslSession.BUFFER);

    private Scratch() {
    }

    @Override
    public void close() {
        plain.close();
        send.close();
    }
}
