package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * An established DTLS association over UDP: what {@link DtlsServer} accepts and
 * {@link DtlsClient#connect} returns.
 *
 * <p>One {@link #send} is one record is one datagram; one {@link #receive} returns one
 * record whole, and records are never merged or split. DTLS does not retransmit application
 * data: a record lost on the network is lost.
 *
 * <p>Thread-safe for one reader and many concurrent writers: {@code send} may be called
 * from any number of threads; {@code receive} from one thread at a time.
 *
 * @since 0.1
 */
public interface DtlsConnection extends AutoCloseable {

    /**
     * Sends one record.
     *
     * @param record the record's bytes, from position to limit; all of them are consumed
     * @throws DtlsRecordTooLargeException if it is larger than {@link #maxRecordSize()}
     * @throws DtlsClosedException if the connection is closed or failed
     * @throws IOException if the socket fails
     */
    void send(ByteBuffer record) throws IOException;

    /**
     * Receives the next record into {@code destination}.
     *
     * @param destination where the record is written, from its position; its position moves past
     *     the record
     * @param timeout how long to wait for a record
     * @return the record's length, or -1 at end of stream (the peer sent close_notify, or
     *         this side closed)
     * @throws DtlsTimeoutException if no record arrived in time; the connection stays usable
     * @throws DtlsAlertException if the connection failed with an alert
     * @throws IllegalArgumentException if the next record does not fit {@code destination}'s
     *         remaining space; the record stays queued
     * @throws IOException if the socket fails
     */
    int receive(ByteBuffer destination, Duration timeout) throws IOException;

    /**
     * Asks for a key update in both directions (DTLS 1.3; see {@link DtlsSession#updateKeys()}):
     * records keep flowing while the epochs change, and the KeyUpdate is retransmitted until
     * the peer acknowledges it.
     *
     * @throws DtlsVersionException if the connection negotiated DTLS 1.2
     * @throws DtlsClosedException if the connection is closed or failed
     * @since 0.1
     */
    void updateKeys();

    /** {@return the largest record {@link #send} accepts} */
    int maxRecordSize();

    /**
     * {@return the peer's address, where records go} On a server whose configuration asks for
     * connection IDs it follows a peer whose address changes, once a record from the new
     * address has authenticated and was the newest yet (RFC 9146 section 6); otherwise it
     * never changes.
     */
    InetSocketAddress peerAddress();

    /** {@return what the handshake negotiated} */
    DtlsSessionInfo info();

    /** {@return this connection's counters} */
    TransportStats stats();

    /** {@return whether the connection can still send (not closed, not failed)} */
    boolean isOpen();

    /** Sends close_notify and releases the session. Idempotent. */
    @Override
    void close();
}
