package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.dtls4j.TransportStats.Counters;

/**
 * The listener of a {@link DtlsServer} without its socket, for transport drivers: a driver
 * over another I/O framework (dtls4j-netty over a Netty {@code DatagramChannel}) reads its
 * socket and hands each datagram to {@link #receive}; the listener answers and sends through
 * the driver's {@link DatagramOutput} and runs every session's timers on the driver's loop.
 *
 * <p>It is the same listener {@link DtlsServer} runs (see there): stateless cookies from the
 * context's {@link CookieAuthority} (nothing kept per client before its cookie verifies),
 * peers by connection ID then by address, the same limits ({@link TransportOptions}), the same
 * counters. Connections and their records come to the {@link DtlsConnectionHandler} on the
 * driver's loop.
 *
 * <p>Thread-safety: {@link #receive} must be called on the driver's loop, the one thread of
 * its {@code executor}; {@link #connection}, {@link #stats} and {@link #close} may be called
 * on any thread.
 *
 * @since 0.1
 */
public final class DatagramListener implements AutoCloseable {

    private final ListenerSocket.Shared shared;
    private final Counters counters = new Counters();
    private final PeerDispatch dispatch;
    private volatile boolean closed;

    private DatagramListener(DtlsContext context, TransportOptions options, DtlsConnectionHandler handler,
                             DatagramOutput output, SessionLoop loop) {
        this.shared = ListenerSocket.Shared.create(context, options, handler, counters, null);
        this.dispatch = new PeerDispatch(shared, output, loop, new SessionLoop[] {loop});
    }

    /**
     * Makes a listener that a transport driver feeds.
     *
     * @param context the context whose server sessions the listener makes
     * @param options limits and timeouts; {@code ioThreads} must be 1 (the driver's loop is the one thread)
     * @param handler takes every connection once its handshake completes, and its records, on the loop
     * @param output where the listener's datagrams go
     * @param loop the driver's single-threaded executor: every session's timers run on it
     * @param inLoop whether the calling thread is {@code loop}'s (Netty: {@code eventLoop::inEventLoop})
     * @return the listener, ready for {@link #receive}
     * @throws DtlsConfigurationException if {@code options} asks for more than one I/O thread,
     *         the context's connection IDs are too short for {@link TransportOptions#maxSessions()},
     *         or it trusts raw public keys without an explicit {@link PeerVerification}
     */
    public static DatagramListener open(DtlsContext context, TransportOptions options, DtlsConnectionHandler handler,
                                        DatagramOutput output, ScheduledExecutorService loop, BooleanSupplier inLoop) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(inLoop, "inLoop");
        if (options.ioThreads() != 1) {
            throw new DtlsConfigurationException("a DatagramListener runs on its driver's one loop, but the options ask"
                    + " for ioThreads(" + options.ioThreads() + "): use TransportOptions ioThreads(1), and more"
                    + " listeners on more channels (SO_REUSEPORT) for more threads");
        }
        return new DatagramListener(context, options, handler, output, new ExecutorLoop(loop, inLoop));
    }

    /**
     * Takes one datagram the driver read: into its peer's session, or to the stateless front
     * door. On the driver's loop; the buffer is read during the call only, so the driver may
     * reuse or release it when the call returns.
     *
     * @param datagram the datagram, from its position to its limit
     * @param from the address it came from
     */
    public void receive(ByteBuffer datagram, InetSocketAddress from) {
        if (!closed) {
            dispatch.dispatch(datagram, from);
        }
    }

    /**
     * The connection at a peer's address (handshaking or established), if any.
     *
     * @param peer the peer's address
     * @return its connection, or empty
     */
    public Optional<DtlsConnection> connection(InetSocketAddress peer) {
        return Optional.ofNullable(shared.peers().get(peer));
    }

    /**
     * The listener's counters, over all its connections.
     *
     * @return a snapshot of the counters
     */
    public TransportStats stats() {
        return counters.snapshot();
    }

    /** Closes every connection (each sends close_notify through the output); later datagrams are ignored. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shared.peers().closeAll();
    }
}
