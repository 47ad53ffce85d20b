package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where a listener's datagrams leave, for transport drivers: the send half of a socket. The
 * NIO transport sends on a {@link java.nio.channels.DatagramChannel}; a driver over another
 * I/O framework (dtls4j-netty over a Netty channel) gives {@link DatagramListener} its own.
 *
 * <p>Implementations must be thread-safe: a session sends from whichever thread entered it
 * (the driver's loop, an application thread, a provider's handshake thread).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DatagramOutput {

    /**
     * Sends one datagram to {@code to}, or drops it, as a UDP socket does when its send buffer
     * is full. The buffer is valid only during the call: copy what is sent later.
     *
     * @param datagram the datagram, from its position to its limit; consumed by a send
     * @param to the peer's address
     * @return the bytes sent (or queued to be sent), or 0 when the datagram was dropped
     * @throws IOException if the datagram cannot be sent; counted as a drop, never fatal
     */
    int send(ByteBuffer datagram, InetSocketAddress to) throws IOException;
}
