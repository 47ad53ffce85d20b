package org.dtls4j;

import java.nio.ByteBuffer;

/**
 * The asynchronous form of a {@link DtlsServer}: it is told of new connections and of their
 * records on the server's I/O thread, so a server needs no thread per peer.
 *
 * <p>Callbacks for one connection are never concurrent and come in order. They run on the
 * I/O thread that drives the connection: they must not block. They may call
 * {@link DtlsConnection#send} and {@link DtlsConnection#close}.
 *
 * @since 0.1
 */
public interface DtlsConnectionHandler {

    /**
     * A handshake completed.
     *
     * @param connection the new connection, ready to send
     */
    void onConnected(DtlsConnection connection);

    /**
     * A record arrived.
     *
     * @param record valid only during the call; copy what you keep
     * @param connection the connection the record arrived on
     */
    void onRecord(DtlsConnection connection, ByteBuffer record);

    /**
     * The peer sent close_notify, or the connection was closed or expired.
     *
     * @param connection the connection that ended; it can no longer send
     */
    default void onClosed(DtlsConnection connection) {
    }

    /**
     * The connection failed (an alert, or a handshake timeout of an accepted peer).
     *
     * @param connection the connection that failed; it can no longer send
     * @param failure why: a {@link DtlsAlertException} or a {@link DtlsHandshakeTimeoutException}
     */
    default void onFailed(DtlsConnection connection, DtlsException failure) {
    }
}
