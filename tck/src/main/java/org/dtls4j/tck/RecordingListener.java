package org.dtls4j.tck;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;

/**
 * A {@link DtlsSessionListener} that records everything one session reports: the datagrams
 * it sent, the records it delivered, its handshake completion, close and failures, with how
 * often each happened (the contract allows each once).
 *
 * <p>Each datagram is copied, recorded in {@link #sent()} and handed to {@link #route};
 * by default it waits in {@link #outbox()} for a test to deliver it, as {@link #pump} does.
 * A driver that carries datagrams itself ({@link SessionPair}) overrides {@link #route}.
 *
 * <p>Thread-safe: a session may report from its provider's threads.
 *
 * @since 0.1
 */
public class RecordingListener implements DtlsSessionListener {

    private final List<byte[]> sent = new ArrayList<>();
    private final BlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> records = new LinkedBlockingQueue<>();
    private final List<DtlsException> failures = new ArrayList<>();
    private final CompletableFuture<DtlsSessionInfo> established = new CompletableFuture<>();
    private final CompletableFuture<DtlsException> failed = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicInteger completions = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger newestRecords = new AtomicInteger();
    private volatile DtlsSessionInfo info;

    /** {@return every datagram the session sent, in order (a copy of the list)} */
    public synchronized List<byte[]> sent() {
        return List.copyOf(sent);
    }

    /**
     * {@return the datagrams {@link #route} has not handed on: the default route puts each here}
     */
    public BlockingQueue<byte[]> outbox() {
        return outbox;
    }

    /** {@return application records received, in arrival order} */
    public BlockingQueue<byte[]> records() {
        return records;
    }

    /** {@return a future that completes with the first {@link #onHandshakeComplete} report} */
    public CompletableFuture<DtlsSessionInfo> established() {
        return established;
    }

    /** {@return what the latest {@link #onHandshakeComplete} reported; empty before the first} */
    public Optional<DtlsSessionInfo> info() {
        return Optional.ofNullable(info);
    }

    /** {@return a future that completes with the first failure the session reported} */
    public CompletableFuture<DtlsException> failed() {
        return failed;
    }

    /** {@return a future that completes when the peer's close_notify arrives} */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** {@return every failure reported, in order (the contract says at most one)} */
    public synchronized List<DtlsException> failures() {
        return List.copyOf(failures);
    }

    /** {@return how many times {@link #onFailed} was called (the contract says at most once)} */
    public synchronized int failureCount() {
        return failures.size();
    }

    /** {@return how many times {@link #onHandshakeComplete} was called (once per handshake)} */
    public int completions() {
        return completions.get();
    }

    /** {@return how many times {@link #onClosed} was called (at most once)} */
    public int closes() {
        return closes.get();
    }

    /** {@return how many times {@link #onNewestRecordAuthenticated} was called} */
    public int newestRecords() {
        return newestRecords.get();
    }

    /**
     * Where each sent datagram goes once recorded; by default, into {@link #outbox()}.
     *
     * @param datagram the datagram the session sent, already recorded in {@link #sent()}
     */
    protected void route(byte[] datagram) {
        outbox.add(datagram);
    }

    @Override
    public void onDatagram(ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        synchronized (this) {
            sent.add(bytes);
        }
        route(bytes);
    }

    @Override
    public void onRecord(ByteBuffer record) {
        byte[] copy = new byte[record.remaining()];
        record.get(copy);
        records.add(copy);
    }

    @Override
    public void onHandshakeComplete(DtlsSessionInfo info) {
        this.info = Objects.requireNonNull(info, "onHandshakeComplete(null)");
        completions.incrementAndGet();
        established.complete(info);
    }

    @Override
    public void onNewestRecordAuthenticated() {
        newestRecords.incrementAndGet();
    }

    @Override
    public void onClosed() {
        closes.incrementAndGet();
        closed.complete(null);
    }

    @Override
    public void onFailed(DtlsException failure) {
        synchronized (this) {
            failures.add(failure);
        }
        failed.complete(failure);
    }

    /**
     * Hands each side's {@link #outbox()} to the other side's session, alternately, until
     * both are empty or 10,000 rounds have passed: a lossless link with no timers, driven by
     * the calling thread. The round limit is no failure: a backend that resends on its own
     * when its timer expired (OpenSSL does, on a loaded machine) may keep two sessions
     * talking; the caller checks the state it expects.
     *
     * @param a one session
     * @param aEvents the listener of {@code a}, whose outbox is read
     * @param b the other session
     * @param bEvents the listener of {@code b}, whose outbox is read
     */
    public static void pump(DtlsSession a, RecordingListener aEvents, DtlsSession b, RecordingListener bEvents) {
        for (int round = 0; round < 10_000 && !(aEvents.outbox.isEmpty() && bEvents.outbox.isEmpty()); round++) {
            byte[] d = aEvents.outbox.poll();
            if (d != null) {
                b.receive(ByteBuffer.wrap(d));
            }
            d = bEvents.outbox.poll();
            if (d != null) {
                a.receive(ByteBuffer.wrap(d));
            }
        }
    }
}
