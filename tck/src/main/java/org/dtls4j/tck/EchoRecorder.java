package org.dtls4j.tck;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsException;

/**
 * A server handler that echoes every record and records what it saw: each connection once,
 * and how many times each tag (a record's first four bytes, big-endian) arrived.
 *
 * <p>Thread-safe: the listener calls it from its I/O threads.
 */
final class EchoRecorder implements DtlsConnectionHandler {

    private final BlockingQueue<DtlsConnection> connections = new LinkedBlockingQueue<>();
    private final Map<Integer, AtomicInteger> tags = new ConcurrentHashMap<>();

    /** Every connection the server handed over, in order. */
    BlockingQueue<DtlsConnection> connections() {
        return connections;
    }

    /** How many times the record tagged {@code tag} arrived. */
    int times(int tag) {
        AtomicInteger n = tags.get(tag);
        return n == null ? 0 : n.get();
    }

    /** How many different tags arrived. */
    int distinctTags() {
        return tags.size();
    }

    /** A four-byte record that carries {@code tag}. */
    static ByteBuffer tagged(int tag) {
        return ByteBuffer.allocate(4).putInt(0, tag);
    }

    @Override
    public void onConnected(DtlsConnection connection) {
        connections.add(connection);
    }

    @Override
    public void onRecord(DtlsConnection connection, ByteBuffer record) {
        if (record.remaining() >= 4) {
            tags.computeIfAbsent(record.getInt(record.position()), t -> new AtomicInteger()).incrementAndGet();
        }
        try {
            connection.send(record);
        } catch (IOException | DtlsException e) {
            // the peer went away; nothing to echo to
        }
    }
}
