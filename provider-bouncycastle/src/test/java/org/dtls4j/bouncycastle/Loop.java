package org.dtls4j.bouncycastle;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;

/**
 * One event-loop thread that drives any number of sessions the way the UDP transport does:
 * every call into a session runs on it. Sessions' datagrams go wherever their
 * {@link Endpoint}'s route says.
 */
final class Loop implements AutoCloseable {

    final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-loop");
        t.setDaemon(true);
        return t;
    });

    /** Runs on the loop. */
    void run(Runnable r) {
        executor.execute(r);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A listener that records what one session reports; its datagrams go to {@link #route}. */
    final class Endpoint implements DtlsSessionListener {
        volatile DtlsSession session;
        volatile Consumer<byte[]> route = d -> { };
        final java.util.concurrent.CompletableFuture<DtlsSessionInfo> established = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.CompletableFuture<DtlsException> failed = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.BlockingQueue<byte[]> records = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.List<byte[]> sent = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        /** Delivers a datagram to this endpoint's session, on the loop. */
        void deliver(byte[] d) {
            run(() -> session.receive(ByteBuffer.wrap(d)));
        }

        @Override
        public void onDatagram(ByteBuffer datagram) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(b);
            sent.add(b);
            route.accept(b);
        }

        @Override
        public void onRecord(ByteBuffer record) {
            byte[] b = new byte[record.remaining()];
            record.get(b);
            records.add(b);
        }

        @Override
        public void onHandshakeComplete(DtlsSessionInfo info) {
            established.complete(info);
        }

        @Override
        public void onFailed(DtlsException failure) {
            failed.complete(failure);
        }
    }
}
