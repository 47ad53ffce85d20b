package org.dtls4j.tck.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;

/**
 * A server handler for meeting external peers: every record goes back to its connection,
 * and the first connection to connect, and to close, are kept to inspect.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class Echo implements DtlsConnectionHandler {

    private final CompletableFuture<DtlsConnection> connected = new CompletableFuture<>();
    private final CompletableFuture<DtlsConnection> closed = new CompletableFuture<>();

    @Override
    public void onConnected(DtlsConnection connection) {
        connected.complete(connection);
    }

    @Override
    public void onRecord(DtlsConnection connection, ByteBuffer record) {
        try {
            connection.send(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onClosed(DtlsConnection connection) {
        closed.complete(connection);
    }

    /**
     * {@return the first connection whose handshake completed, waiting for it at most {@code timeout}}
     *
     * @param timeout how long to wait
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException never: the connection future is only ever completed normally
     * @throws TimeoutException if no connection completed its handshake in time
     */
    public DtlsConnection awaitConnected(Duration timeout) throws InterruptedException, ExecutionException,
            TimeoutException {
        return connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * {@return the first connection that closed, waiting for it at most {@code timeout}}
     *
     * @param timeout how long to wait
     * @throws InterruptedException if interrupted while waiting
     * @throws ExecutionException never: the connection future is only ever completed normally
     * @throws TimeoutException if no connection closed in time
     */
    public DtlsConnection awaitClosed(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
