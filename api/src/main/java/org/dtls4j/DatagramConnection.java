package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.dtls4j.TransportStats.Counters;

/**
 * A {@link DtlsClient}'s connection without its socket, for transport drivers: a driver over
 * another I/O framework (dtls4j-netty over a connected Netty {@code DatagramChannel}) reads its
 * socket and hands each datagram to {@link #receive}; the session sends through the driver's
 * {@link DatagramOutput} and runs its timers on the driver's loop. Records and the connection's
 * events go to a {@link DtlsConnectionHandler}, on the loop.
 *
 * <p>Thread-safety: {@link #receive} must be called on the driver's loop; the rest may be
 * called on any thread.
 *
 * @since 0.1
 */
public final class DatagramConnection implements AutoCloseable {

    private final PeerConnection peer;

    private DatagramConnection(PeerConnection peer) {
        this.peer = peer;
    }

    /**
     * Makes a client session for {@code server} and starts its handshake on the loop.
     *
     * @param context the context whose client session this is
     * @param server the server's address: where every datagram goes
     * @param options timeouts (idle); the rest are the server's
     * @param handler takes the connection once its handshake completes, and its records, on the loop
     * @param output where the session's datagrams go
     * @param loop the driver's single-threaded executor: the session's timers run on it
     * @param inLoop whether the calling thread is {@code loop}'s (Netty: {@code eventLoop::inEventLoop})
     * @return the connection, handshaking
     * @throws DtlsException if the provider cannot make the session
     */
    public static DatagramConnection open(DtlsContext context, InetSocketAddress server, TransportOptions options,
                                          DtlsConnectionHandler handler, DatagramOutput output,
                                          ScheduledExecutorService loop, BooleanSupplier inLoop) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(output, "output");
        PeerConnection peer = new PeerConnection(new ExecutorLoop(loop, inLoop), output, server, context.config(),
                new PeerConnection.Owner() {
                    @Override
                    public void established(PeerConnection connection) {
                    }

                    @Override
                    public void ended(PeerConnection connection, boolean handshakeFailed) {
                    }
                }, new Counters(), handler, options);
        peer.attach(context.newClientSession(server, peer.listener()), context.providerName());
        peer.loop.execute(() -> peer.begin(null));
        return new DatagramConnection(peer);
    }

    /**
     * Takes one datagram the driver read from the server. On the driver's loop; the buffer is
     * read during the call only.
     *
     * @param datagram the datagram, from its position to its limit
     */
    public void receive(ByteBuffer datagram) {
        peer.receive(datagram);
    }

    /**
     * The connection users see: send, close, the negotiated parameters once established.
     *
     * @return the connection
     */
    public DtlsConnection connection() {
        return peer;
    }

    /**
     * Completes when the handshake does, or fails with its failure.
     *
     * @return the negotiated parameters, when they are known
     */
    public CompletableFuture<DtlsSessionInfo> handshake() {
        return peer.handshake.copy();
    }

    /** Closes the connection (sending close_notify once established). */
    @Override
    public void close() {
        peer.close();
    }
}
