package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import org.dtls4j.spi.ThreadScratch;

/**
 * The buffers an engine works in during a session call, borrowed per thread ({@link #THREADS},
 * see {@link ThreadScratch}) rather than kept per session: the datagram being read
 * ({@link #netIn}), what a wrap produces ({@link #netOut}, handed on as a datagram) and what an
 * unwrap yields ({@link #appIn}, handed to the listener as the record). Nothing in them
 * outlives the call, so an idle session holds none of them (about 34 KiB of heap per session
 * before: an SSLEngine's packet and application buffer sizes). Each grows when an engine asks.
 *
 * <p>Not thread-safe: a set is used by the thread that leased it.
 */
final class JsseScratch implements AutoCloseable {

    /** Every thread's set. */
    static final ThreadScratch<JsseScratch> THREADS = new ThreadScratch<>(JsseScratch::new);

    /** Room for a DTLS record of the largest plaintext, with its expansion. */
    private static final int RECORD = (1 << 14) + 2048 + 13;

    ByteBuffer netIn = ByteBuffer.allocate(RECORD);
    ByteBuffer netOut = ByteBuffer.allocate(RECORD);
    ByteBuffer appIn = ByteBuffer.allocate(RECORD);

    private JsseScratch() {
    }

    /** Heap buffers: nothing to release. */
    @Override
    public void close() {
    }
}
