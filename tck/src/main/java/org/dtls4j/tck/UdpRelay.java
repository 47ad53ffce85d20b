package org.dtls4j.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A UDP relay on 127.0.0.1 between clients and one server, for a path with faults: it
 * forwards every client datagram to the server from one upstream socket, and the
 * server's answers to whichever client spoke last (to the server, a client that restarts
 * behind the relay is the same address and port). It can lose, duplicate, reorder and delay
 * datagrams (seeded), rewrite or watch them, and swallow client datagrams, to let a client
 * "crash" without its close_notify reaching the server. It can also play a NAT that rebinds
 * ({@link #rebind()}): from then on the client's datagrams leave from a new upstream port, and
 * what the server sends to an old one is lost.
 *
 * <p>Public so that tools outside the TCK (the {@code dtls4j interop} command's checks, the
 * interop module's tests) can play the same path.
 *
 * <p>Thread-safe: the settings may change at any time from any thread; one daemon thread
 * relays, and {@link #close()} ends it.
 *
 * @since 0.1
 */
public final class UdpRelay implements AutoCloseable {

    /** The longest a reordered datagram is held back, beyond the delay. */
    private static final long REORDER_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A datagram waiting for its time; relay-thread confined. */
    private record Pending(long due, long order, boolean toServer, byte[] bytes) {
    }

    private final DatagramChannel downstream;
    private final InetSocketAddress server;
    /** The current upstream socket; replaced, on the relay thread, by {@link #rebind()}. */
    private volatile DatagramChannel upstream;
    /** Upstream sockets the relay rebound away from: read and dropped, like a NAT's expired mappings. */
    private final List<DatagramChannel> expired = new CopyOnWriteArrayList<>();
    private final AtomicLong lostOnExpired = new AtomicLong();
    private final Queue<CompletableFuture<InetSocketAddress>> rebinds = new ConcurrentLinkedQueue<>();
    private volatile byte[] lastFromClient;
    private final Selector selector;
    private final Thread thread;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong(Pending::due).thenComparingLong(Pending::order));
    private long order;
    private volatile SocketAddress client;
    private volatile boolean swallowClients;
    private volatile boolean holdFirstAnswer;
    /** The server's first datagram, while it is held back; relay-thread confined. */
    private byte[] held;
    private volatile boolean running = true;
    /** Seeded faults, both directions; null for a clean relay. Used on the relay thread only. */
    private volatile Random chaos;
    private volatile double loss;
    private volatile double duplication;
    private volatile double reordering;
    private volatile long delayNanos;
    private volatile UnaryOperator<byte[]> clientRewrite = UnaryOperator.identity();
    private volatile UnaryOperator<byte[]> serverRewrite = UnaryOperator.identity();
    /** Cuts the client's ClientHellos into small fragments; null to pass them as they come. */
    private volatile HelloRefragmenter refragmenter;
    private volatile int highestHelloVerifyRequestSeq = -1;
    /** The least time between two server datagrams passed on; 0 for none. */
    private volatile long serverSpacingNanos;
    /** When the server's last datagram was or will be passed on, once there is one; relay-thread confined. */
    private long lastServerDue;
    private boolean serverDueSet;

    /**
     * A relay to {@code server}, relaying at once, with no faults.
     *
     * @param server the server's address
     * @throws IOException if the relay's sockets cannot be bound
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

    /**
     * {@return where clients connect}
     *
     * @throws IOException if the socket is closed
     */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) downstream.getLocalAddress();
    }

    /**
     * {@return the address the server sees for every client behind the relay}
     *
     * @throws IOException if the socket is closed
     */
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
     * the relay sends after this returns leaves from a new upstream socket, and datagrams the
     * server sends to the old one are dropped ({@link #lostOnExpiredPorts()}).
     *
     * @return the new address the server sees
     * @throws IOException if the relay could not open the new socket within 5 seconds
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
     * {@link Random} seeded with {@code seed}.
     *
     * @param seed the seed of the faults
     * @param loss the probability, 0 to 1, that a datagram is lost
     * @param duplication the probability, 0 to 1, that a datagram is sent twice
     */
    public void degrade(long seed, double loss, double duplication) {
        degrade(seed, loss, duplication, 0);
    }

    /**
     * As {@link #degrade(long, double, double)}, and also holds each copy back with
     * probability {@code reordering} for up to 20 ms more, so that datagrams sent after it
     * overtake it.
     *
     * @param seed the seed of the faults
     * @param loss the probability, 0 to 1, that a datagram is lost
     * @param duplication the probability, 0 to 1, that a datagram is sent twice
     * @param reordering the probability, 0 to 1, that a copy is held back
     */
    public void degrade(long seed, double loss, double duplication, double reordering) {
        this.loss = loss;
        this.duplication = duplication;
        this.reordering = reordering;
        this.chaos = new Random(seed);
    }

    /**
     * From now on delivers every datagram, either way, {@code oneWay} after it came.
     *
     * @param oneWay the delay, each way
     */
    public void delay(Duration oneWay) {
        this.delayNanos = oneWay.toNanos();
    }

    /**
     * From now on passes each client datagram through {@code rewrite} on its way to the
     * server (it may return its argument, changed or not, or a new array); called on the
     * relay's thread, before any fault.
     *
     * @param rewrite the rewriting, given each client datagram
     */
    public void rewriteClientDatagrams(UnaryOperator<byte[]> rewrite) {
        this.clientRewrite = rewrite;
    }

    /**
     * As {@link #rewriteClientDatagrams}, for the server's datagrams on their way to the client.
     *
     * @param rewrite the rewriting, given each server datagram
     */
    public void rewriteServerDatagrams(UnaryOperator<byte[]> rewrite) {
        this.serverRewrite = rewrite;
    }

    /**
     * Sends {@code datagram} to the server from the relay's upstream socket, now, from the
     * calling thread: to the server it comes from the client's address, as an attacker on the
     * path (or one who spoofs the client's address) sends it.
     *
     * @param datagram the datagram, sent as it is
     * @throws IOException if the socket is closed
     */
    public void sendToServer(byte[] datagram) throws IOException {
        upstream.write(ByteBuffer.wrap(datagram));
    }

    /**
     * From now on cuts every ClientHello from the client into fragments that fit
     * {@code datagramSize}, each in a datagram of its own, and renumbers the client's later
     * epoch-0 records to match ({@link HelloRefragmenter}); after any rewrite, before any fault.
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

    /**
     * From now on passes the server's datagrams on at least {@code gap} apart, in order: what
     * the server sends at once reaches the client one datagram at a time, so the client acts
     * on each (it may close after one) before the next comes.
     */
    void spaceServerDatagrams(Duration gap) {
        this.serverSpacingNanos = gap.toNanos();
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
                Pending next = pending.peek();
                long waitMillis = next == null ? 100
                        : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.due - System.nanoTime()));
                selector.select(waitMillis);
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
                        byte[] d = clientRewrite.apply(bytes(buf));
                        HelloRefragmenter r = refragmenter;
                        if (r == null) {
                            schedule(true, d);
                        } else {
                            for (ByteBuffer fragment : r.apply(ByteBuffer.wrap(d))) {
                                schedule(true, bytes(fragment.duplicate()));
                            }
                        }
                    }
                }
                while (receive(upstream, buf) != null) {
                    noteHelloVerifyRequest(buf);
                    byte[] answer = serverRewrite.apply(bytes(buf));
                    if (holdFirstAnswer && held == null) {
                        held = answer;
                        continue;
                    }
                    if (holdFirstAnswer && client != null) {
                        holdFirstAnswer = false;
                        send(false, held);
                    }
                    schedule(false, answer);
                }
                long now = System.nanoTime();
                while (!pending.isEmpty() && pending.peek().due - now <= 0) {
                    Pending p = pending.poll();
                    send(p.toServer, p.bytes);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Loses, duplicates, holds back or passes on one datagram, as the faults say. */
    private void schedule(boolean toServer, byte[] datagram) throws IOException {
        Random r = chaos;
        int copies = 1;
        if (r != null) {
            copies = r.nextDouble() < loss ? 0 : r.nextDouble() < duplication ? 2 : 1;
        }
        for (int i = 0; i < copies; i++) {
            long hold = delayNanos;
            if (r != null && r.nextDouble() < reordering) {
                hold += 1 + (long) (r.nextDouble() * REORDER_HOLD_NANOS);
            }
            long now = System.nanoTime();
            long due = now + hold;
            long spacing = serverSpacingNanos;
            if (!toServer && spacing > 0) {
                if (serverDueSet && due - (lastServerDue + spacing) < 0) {
                    due = lastServerDue + spacing;
                }
                lastServerDue = due;
                serverDueSet = true;
            }
            if (due == now) {
                send(toServer, datagram);
            } else {
                pending.add(new Pending(due, order++, toServer, datagram));
            }
        }
    }

    private void send(boolean toServer, byte[] datagram) throws IOException {
        if (toServer) {
            upstream.write(ByteBuffer.wrap(datagram));
            return;
        }
        SocketAddress c = client;
        if (c != null) {
            downstream.send(ByteBuffer.wrap(datagram), c);
        }
    }

    private void noteHelloVerifyRequest(ByteBuffer d) {
        int p = d.position();
        if (d.remaining() > 13 + 12 && d.get(p) == 22 && d.getShort(p + 3) == 0 && d.get(p + 13) == 3) {
            highestHelloVerifyRequestSeq = Math.max(highestHelloVerifyRequestSeq, d.getShort(p + 13 + 4) & 0xffff);
        }
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
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
