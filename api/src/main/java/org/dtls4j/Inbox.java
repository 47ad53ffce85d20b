package org.dtls4j;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The records of one connection waiting for {@link DtlsConnection#receive}, then its end:
 * end of stream or the failure, which stay at the head so that every later receive sees them.
 *
 * <p>Bounded: a record beyond the capacity is refused (and counted by the caller). Once a
 * client's reader reads the socket itself ({@link #readDirectly}), no I/O thread stands
 * between the socket and {@link #take}: the reader feeds the datagrams it reads to the
 * connection, which unprotects them into this inbox. Producers on any thread; one reader.
 */
final class Inbox {

    private static final Object END_OF_STREAM = new Object();

    private final PeerConnection connection;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    /** The item the reader looked at but did not consume; reader-confined. */
    private Object head;
    private volatile DatagramSocket directSocket;
    private byte[] directBuffer;
    private DatagramPacket directPacket;

    Inbox(PeerConnection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
    }

    /** Queues a copy of {@code record}; false, and nothing queued, when the inbox is full. */
    boolean offer(ByteBuffer record) {
        if (queue.size() >= capacity) {
            return false;
        }
        byte[] copy = new byte[record.remaining()];
        record.get(copy);
        queue.add(copy);
        return true;
    }

    void endOfStream() {
        queue.add(END_OF_STREAM);
    }

    void fail(DtlsException e) {
        queue.add(e);
    }

    /** From now on the reader reads {@code socket} itself; the socket must be in blocking mode. */
    void readDirectly(DatagramSocket socket) {
        directBuffer = new byte[65536];
        directPacket = new DatagramPacket(directBuffer, directBuffer.length);
        directSocket = socket;
    }

    /** {@link DtlsConnection#receive}: the next record into {@code destination}, or -1 at end of stream. */
    int take(ByteBuffer destination, Duration timeout) throws IOException {
        Object next = head;
        if (next == null && directSocket != null) {
            next = readDirect(timeout);
            if (next == null) {
                throw new DtlsTimeoutException("no record within " + timeout.toMillis() + " ms");
            }
        }
        if (next == null) {
            try {
                next = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while receiving");
            }
            if (next == null) {
                throw new DtlsTimeoutException("no record within " + timeout.toMillis() + " ms");
            }
        }
        // End of stream and failure stay at the head: every later receive sees them too.
        head = next;
        if (next == END_OF_STREAM) {
            return -1;
        }
        if (next instanceof DtlsException e) {
            throw e;
        }
        byte[] record = (byte[]) next;
        if (record.length > destination.remaining()) {
            throw new IllegalArgumentException("the next record has " + record.length
                    + " bytes but the buffer has room for " + destination.remaining());
        }
        head = null;
        destination.put(record);
        return record.length;
    }

    /** Reads and unprotects datagrams on the reader's thread until a record or an end arrives. */
    private Object readDirect(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        DatagramSocket socket = directSocket;
        while (true) {
            Object queued = queue.poll();
            if (queued != null) {
                return queued;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
            directPacket.setData(directBuffer);
            try {
                socket.receive(directPacket);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (PortUnreachableException e) {
                connection.icmpError();
                continue;
            } catch (IOException e) {
                if (connection.ended()) {
                    return END_OF_STREAM; // closed underneath us
                }
                throw e;
            }
            connection.receive(ByteBuffer.wrap(directBuffer, 0, directPacket.getLength()));
        }
    }
}
