package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;

/**
 * What one connection's session produces: datagrams go straight to the socket (its {@link DatagramOutput}), records to
 * the {@link Inbox} or the connection's handler, and handshake and end events to the
 * {@link PeerConnection}. Called on any thread, possibly inside a session call.
 */
final class SessionSink implements DtlsSessionListener {

    private final PeerConnection connection;
    private final SessionDriver driver;
    private final Inbox inbox;
    private final DatagramOutput output;
    private final Counters counters;
    /** Made once: a method reference allocates each time it is evaluated, here once per record. */
    private final Runnable deliverEvents;

    SessionSink(PeerConnection connection, SessionDriver driver, Inbox inbox, DatagramOutput output,
                Counters counters) {
        this.connection = connection;
        this.driver = driver;
        this.inbox = inbox;
        this.output = output;
        this.counters = counters;
        this.deliverEvents = connection::deliverEvents;
    }

    @Override
    public void onDatagram(ByteBuffer datagram) {
        try {
            int n = output.send(datagram, connection.peerAddress());
            if (n == 0) {
                counters.drop(DropReason.SEND_BUFFER_FULL);
                return;
            }
            counters.inc(Counter.DATAGRAMS_OUT);
            if (driver.inTimer()) {
                counters.inc(Counter.RETRANSMISSIONS);
            }
        } catch (PortUnreachableException e) {
            counters.drop(DropReason.ICMP);
        } catch (IOException e) {
            // UDP: a datagram that cannot leave is a lost datagram; retransmission covers it.
            counters.drop(DropReason.SEND_BUFFER_FULL);
        }
    }

    @Override
    public void onRecord(ByteBuffer record) {
        driver.touch();
        counters.inc(Counter.RECORDS_IN);
        DtlsConnectionHandler handler = connection.handler();
        if (handler != null) {
            ByteBuffer copy = ByteBuffer.allocate(record.remaining()).put(record).flip();
            connection.post(() -> handler.onRecord(connection, copy));
            if (!driver.holdsLock()) {
                connection.loop.execute(deliverEvents);
            }
            return;
        }
        if (!inbox.offer(record)) {
            counters.drop(DropReason.RECEIVE_QUEUE_FULL);
        }
    }

    @Override
    public void onHandshakeComplete(DtlsSessionInfo negotiated) {
        connection.established(negotiated);
    }

    @Override
    public void onClosed() {
        connection.closedByPeer();
    }

    @Override
    public void onFailed(DtlsException e) {
        connection.fail(e);
    }

    /**
     * Moves the connection to where the datagram being received came from, if that differs:
     * only here, on the receiving thread, does the sink know the address the proof is for.
     */
    @Override
    public void onNewestRecordAuthenticated() {
        InetSocketAddress from = driver.receivingFrom();
        if (from != null && !from.equals(connection.peerAddress())) {
            connection.migrate(from);
        }
    }

    @Override
    public void onTimeoutChanged() {
        driver.timeoutChanged();
    }
}
