package org.dtls4j.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on 127.0.0.1 that forwards every client datagram to a server from one fixed
 * upstream socket, and the server's answers to whichever client spoke last: to the server,
 * a client that restarts behind the relay is the same address and port. It can swallow
 * client datagrams, to let a client "crash" without its close_notify reaching the server.
 * It can also play a NAT that rebinds ({@link #rebind()}): from then on the client's
 * datagrams leave from a new upstream port, and what the server sends to an old one is lost.
 *
 * <p>Public so that tools outside the TCK (the {@code dtls4j interop} command's rebinding
 * check) can play the same NAT.
 *
 * <p>Thread-safe; one daemon thread, ended by {@link #close()}.
 *
 * @since 0.2
 */
public final class UdpRelay implements AutoCloseable {

    private final DatagramChannel downstream;
    private final InetSocketAddress server;
    /** The current upstream socket; replaced, on the relay thread, by {@link #rebind()}. */
    private volatile DatagramChannel upstream;
    /** Upstream sockets the relay rebound away from: read and dropped, like a NAT's expired mappings. */
    private final List<DatagramChannel> expired = new CopyOnWriteArrayList<>();
    private final AtomicLong lostOnExpired = new AtomicLong();
    private final Queue<CompletableFuture<InetSocketAddress>> rebinds =
            new ConcurrentLinkedQueue<>();
    private volatile byte[] lastFromClient;
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

    /**
     * A relay to {@code server}, running until closed.
     *
     * @throws IOException if its sockets cannot be opened
     */
    public UdpRelay(InetSocketAddress server) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.server = server;
        downstream = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        downstream.configureBlocking(false);
        selector = Selector.open();
        downstream.register(selector, SelectionKey.OP_READ);
        upstream = openUpstream();
        thread = new Thread(this::run, "dtls4j-tck-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where clients connect. */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) downstream.getLocalAddress();
    }

    /** The address the server sees for every client behind the relay. */
    public InetSocketAddress upstreamAddress() throws IOException {
        return (InetSocketAddress) upstream.getLocalAddress();
    }

    private DatagramChannel openUpstream() throws IOException {
        DatagramChannel up = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        up.connect(server);
        up.configureBlocking(false);
        up.register(selector, SelectionKey.OP_READ);
        return up;
    }

    /**
     * Gives the client a new source port, as a NAT that rebinds does: every client datagram
     * the relay reads after this returns leaves from a new upstream socket, and datagrams the
     * server sends to the old one are dropped ({@link #lostOnExpiredPorts()}).
     *
     * @return the new address the server sees
     */
    public InetSocketAddress rebind() throws IOException {
        CompletableFuture<InetSocketAddress> done = new CompletableFuture<>();
        rebinds.add(done);
        selector.wakeup();
        try {
            return done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the relay did not rebind", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Datagrams the server sent to an upstream port the relay has rebound away from. */
    long lostOnExpiredPorts() {
        return lostOnExpired.get();
    }

    /** A copy of the last datagram a client sent, or null before the first. */
    byte[] lastFromClient() {
        byte[] b = lastFromClient;
        return b == null ? null : b.clone();
    }

    /** On the relay thread: carries out the rebinds asked for. */
    private void rebindNow() {
        CompletableFuture<InetSocketAddress> r;
        while ((r = rebinds.poll()) != null) {
            try {
                DatagramChannel old = upstream;
                upstream = openUpstream();
                expired.add(old);
                r.complete((InetSocketAddress) upstream.getLocalAddress());
            } catch (IOException e) {
                r.completeExceptionally(e);
            }
        }
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
                rebindNow();
                for (DatagramChannel old : expired) {
                    while (receive(old, buf) != null) {
                        lostOnExpired.incrementAndGet();
                    }
                }
                DatagramChannel upstream = this.upstream;
                SocketAddress from;
                while ((from = receive(downstream, buf)) != null) {
                    client = from;
                    byte[] copy = new byte[buf.remaining()];
                    buf.duplicate().get(copy);
                    lastFromClient = copy;
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
        for (DatagramChannel old : expired) {
            old.close();
        }
    }
}
