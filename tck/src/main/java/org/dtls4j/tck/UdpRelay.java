package org.dtls4j.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * A UDP relay on 127.0.0.1 that forwards every client datagram to a server from one fixed
 * upstream socket, and the server's answers to whichever client spoke last: to the server,
 * a client that restarts behind the relay is the same address and port. It can swallow
 * client datagrams, to let a client "crash" without its close_notify reaching the server.
 *
 * <p>Thread-safe; one daemon thread, ended by {@link #close()}.
 */
final class UdpRelay implements AutoCloseable {

    private final DatagramChannel downstream;
    private final DatagramChannel upstream;
    private final Selector selector;
    private final Thread thread;
    private volatile SocketAddress client;
    private volatile boolean swallowClients;
    private volatile boolean holdFirstAnswer;
    /** The server's first datagram, while it is held back; relay-thread confined. */
    private ByteBuffer held;
    private volatile boolean running = true;
    /** Seeded loss and duplication, both directions; null for a clean relay. Relay-thread confined. */
    private volatile java.util.Random chaos;
    private volatile double loss;
    private volatile double duplication;
    /** Cuts the client's ClientHellos into small fragments; null to pass them as they come. */
    private volatile HelloRefragmenter refragmenter;
    private volatile int highestHelloVerifyRequestSeq = -1;

    UdpRelay(InetSocketAddress server) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        downstream = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        upstream = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        upstream.connect(server);
        downstream.configureBlocking(false);
        upstream.configureBlocking(false);
        selector = Selector.open();
        downstream.register(selector, SelectionKey.OP_READ);
        upstream.register(selector, SelectionKey.OP_READ);
        thread = new Thread(this::run, "dtls4j-tck-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where clients connect. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) downstream.getLocalAddress();
    }

    /** The address the server sees for every client behind the relay. */
    InetSocketAddress upstreamAddress() throws IOException {
        return (InetSocketAddress) upstream.getLocalAddress();
    }

    /** While true, datagrams from clients are dropped. */
    void swallowClients(boolean swallow) {
        this.swallowClients = swallow;
    }

    /**
     * From now on loses each datagram, either way, with probability {@code loss}, and sends
     * each one that gets through twice with probability {@code duplication}, from a
     * {@link java.util.Random} seeded with {@code seed}.
     */
    void degrade(long seed, double loss, double duplication) {
        this.loss = loss;
        this.duplication = duplication;
        this.chaos = new java.util.Random(seed);
    }

    /**
     * From now on cuts every ClientHello from the client into fragments that fit
     * {@code datagramSize}, each in a datagram of its own, and renumbers the client's later
     * epoch-0 records to match ({@link HelloRefragmenter}).
     */
    void refragmentClientHellos(int datagramSize) {
        this.refragmenter = new HelloRefragmenter(datagramSize);
    }

    /** The highest message_seq of a ClientHello the refragmenter saw, -1 if none (or no refragmenter). */
    int highestClientHelloSeq() {
        HelloRefragmenter r = refragmenter;
        return r == null ? -1 : r.highestClientHelloSeq();
    }

    /** The highest message_seq of a HelloVerifyRequest the server sent, -1 if none. */
    int highestHelloVerifyRequestSeq() {
        return highestHelloVerifyRequestSeq;
    }

    /** How many copies of a datagram to pass on: 0 (lost), 1, or 2 (duplicated). */
    private int copies() {
        java.util.Random r = chaos;
        if (r == null) {
            return 1;
        }
        if (r.nextDouble() < loss) {
            return 0;
        }
        return r.nextDouble() < duplication ? 2 : 1;
    }

    /**
     * Holds the server's first datagram back until its second one comes, then sends both,
     * in order: a client whose first ClientHello is answered late sends it again, and then
     * gets two HelloVerifyRequests.
     */
    void holdFirstAnswer() {
        this.holdFirstAnswer = true;
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (running) {
                selector.select(100);
                selector.selectedKeys().clear();
                SocketAddress from;
                while ((from = receive(downstream, buf)) != null) {
                    client = from;
                    if (!swallowClients) {
                        HelloRefragmenter r = refragmenter;
                        for (ByteBuffer d : r == null ? java.util.List.of(buf) : r.apply(buf)) {
                            for (int n = copies(); n > 0; n--) {
                                upstream.write(d.duplicate());
                            }
                        }
                    }
                }
                while (receive(upstream, buf) != null) {
                    SocketAddress c = client;
                    noteHelloVerifyRequest(buf);
                    if (holdFirstAnswer && held == null) {
                        held = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
                        continue;
                    }
                    if (holdFirstAnswer && c != null) {
                        holdFirstAnswer = false;
                        downstream.send(held, c);
                    }
                    if (c != null) {
                        for (int n = copies(); n > 0; n--) {
                            downstream.send(buf.duplicate(), c);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void noteHelloVerifyRequest(ByteBuffer d) {
        int p = d.position();
        if (d.remaining() > 13 + 12 && d.get(p) == 22 && d.getShort(p + 3) == 0 && d.get(p + 13) == 3) {
            highestHelloVerifyRequestSeq = Math.max(highestHelloVerifyRequestSeq, d.getShort(p + 13 + 4) & 0xffff);
        }
    }

    private static SocketAddress receive(DatagramChannel ch, ByteBuffer buf) throws IOException {
        buf.clear();
        SocketAddress from = ch.receive(buf);
        buf.flip();
        return from;
    }

    /** Stops relaying and closes both sockets; idempotent. */
    @Override
    public void close() throws IOException {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
        downstream.close();
        upstream.close();
    }
}
