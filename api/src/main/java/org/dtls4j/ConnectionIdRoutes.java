package org.dtls4j;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.dtls4j.spi.DtlsRecordCursor;

/**
 * A server's connection-ID table: which live connection holds which connection ID, and the
 * lookup that finds the connection a datagram's connection ID names (RFC 9146 for DTLS 1.2,
 * the unified header's C bit for DTLS 1.3).
 *
 * <p>The listener issues connection IDs ({@link #issue}): random, from a
 * {@link SecureRandom}, and unique among its live connections, so that a record reaches its
 * session from any address and a third party cannot guess a live one. The table holds one
 * entry per live connection at most (the peer table's {@code maxSessions} bounds it); an entry
 * goes when its connection ends ({@link #release}).
 *
 * <p>The table is one per listener, shared by all its reading threads. Lookups go through a
 * {@link Lookup}, one per reading thread, which allocates nothing: one cursor and one probe
 * key are reused for every datagram, and the table's reads take no lock. Issue, register,
 * release and {@link #lookup()} are thread-safe; a {@link Lookup} is confined to its thread.
 *
 * @param <C> what a connection ID routes to (a server's {@link PeerConnection})
 */
final class ConnectionIdRoutes<C> {

    /** Draws before giving up on a free connection ID: only a nearly full short-ID space needs more than one. */
    static final int ATTEMPTS = 16;

    private final int length;
    private final ConcurrentHashMap<Key, C> table = new ConcurrentHashMap<>();
    private final boolean unifiedHeaders;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param length the server's connection ID length, fixed by its context's configuration;
     *        0 when it uses none, and then nothing is routed by connection ID
     * @param unifiedHeaders whether DTLS 1.3 records may come (their unified header can carry one)
     */
    ConnectionIdRoutes(int length, boolean unifiedHeaders) {
        this.length = length;
        this.unifiedHeaders = unifiedHeaders;
    }

    /** A lookup for one reading thread (each reads its own datagrams with its own cursor). */
    Lookup lookup() {
        return new Lookup();
    }

    /** Whether this server routes by connection ID at all. */
    boolean enabled() {
        return length > 0;
    }

    /**
     * A fresh connection ID for {@code connection}, held by it until {@link #release}; null
     * when {@link #ATTEMPTS} draws all hit live ones (a short ID's space is nearly full).
     */
    byte[] issue(C connection) {
        for (int i = 0; i < ATTEMPTS; i++) {
            byte[] id = new byte[length];
            random.nextBytes(id);
            if (table.putIfAbsent(new Key(id), connection) == null) {
                return id;
            }
        }
        return null;
    }

    /**
     * Routes {@code id}, which a session chose itself, to {@code connection}: false if its
     * length is not the server's or another live connection holds it.
     */
    boolean register(byte[] id, C connection) {
        return id.length == length && length > 0 && table.putIfAbsent(new Key(id.clone()), connection) == null;
    }

    /** {@code connection} has ended: its connection ID may be issued again. */
    void release(byte[] id, C connection) {
        table.remove(new Key(id), connection);
    }

    /** Live entries: at most one per live connection. */
    int size() {
        return table.size();
    }

    /**
     * Finds connections by the connection ID of a datagram's first record, for one reading
     * thread: not thread-safe, and allocates nothing per datagram.
     */
    final class Lookup {
        private final DtlsRecordCursor cursor = new DtlsRecordCursor(length, unifiedHeaders);
        private final Key probe = new Key(new byte[length]);
        private boolean carried;

        private Lookup() {
        }

        /**
         * The connection that holds the connection ID of the datagram's first record, or null
         * when there is none; {@link #carriedConnectionId()} then tells a record without one from
         * one whose connection ID no live connection holds. Reads the datagram without moving it.
         */
        C find(ByteBuffer datagram) {
            carried = false;
            if (!cursor.reset(datagram).next() || !cursor.hasConnectionId()) {
                return null;
            }
            carried = true;
            // One pass reads the bytes and hashes them as Arrays.hashCode does (a bulk get plus
            // Arrays.hashCode cost two, and a direct buffer's bulk get is slow for a few bytes).
            int at = cursor.connectionIdStart();
            byte[] bytes = probe.bytes;
            int h = 1;
            for (int i = 0; i < bytes.length; i++) {
                byte b = datagram.get(at + i);
                bytes[i] = b;
                h = 31 * h + b;
            }
            probe.hash = h;
            return table.get(probe);
        }

        /** Whether the datagram last given to {@link #find} carried a connection ID. */
        boolean carriedConnectionId() {
            return carried;
        }
    }

    /** A connection ID as a map key; the probe's bytes are overwritten for each lookup. */
    private static final class Key {
        final byte[] bytes;
        int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            rehash();
        }

        void rehash() {
            hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
