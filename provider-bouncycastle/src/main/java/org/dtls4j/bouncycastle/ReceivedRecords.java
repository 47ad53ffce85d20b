package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSRecordCallback;
import org.bouncycastle.tls.DTLSRecordFlags;
import org.bouncycastle.tls.DTLSTransport;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.ThreadScratch;

/**
 * A BouncyCastle session's record path after the handshake: lets {@code DTLSTransport}
 * read every queued datagram, delivers the records, and counts a datagram none of whose
 * records BouncyCastle accepted as dropped (it drops them silently), and tells the listener
 * when a record authenticated and was the newest yet: bctls's record layer says so itself
 * ({@code DTLSRecordFlags.IS_NEWEST}, set after decryption when the replay window reports the
 * sequence number as the highest of the current read epoch), so nothing is inferred here.
 *
 * <p>Not thread-safe: used under its session's lock.
 */
final class ReceivedRecords {

    private final DtlsSessionListener listener;
    private final AtomicLong dropped;
    private final BcFailures alerts;
    private final Consumer<Throwable> failed;
    private final Runnable peerClosed;
    /** The largest record that can arrive: how much of the thread's buffer a read may fill. */
    private int receiveLimit;
    private boolean datagramPending;
    private int acceptedInDatagram;
    private final DTLSRecordCallback recordAccepted = this::accepted;

    /**
     * @param failed how reading ends when BouncyCastle throws
     * @param peerClosed how it ends when the peer sent close_notify
     */
    ReceivedRecords(DtlsSessionListener listener, AtomicLong dropped, BcFailures alerts, Consumer<Throwable> failed,
                    Runnable peerClosed) {
        this.listener = listener;
        this.dropped = dropped;
        this.alerts = alerts;
        this.failed = failed;
        this.peerClosed = peerClosed;
    }

    /** When the handshake completes: records up to {@code receiveLimit} bytes can arrive. */
    void start(int receiveLimit) {
        this.receiveLimit = Math.max(1, receiveLimit);
    }

    /**
     * Lets BouncyCastle read every queued datagram, into the calling thread's buffer
     * ({@link ThreadScratch}: an idle session keeps none), each record delivered through its
     * one read-only view.
     */
    void drain(DTLSTransport t) {
        ThreadScratch.Lease<Plaintext> lease = Plaintext.THREADS.enter(this);
        try {
            drain(t, lease.buffers().forLimit(receiveLimit));
        } finally {
            lease.exit();
        }
    }

    private void drain(DTLSTransport t, Plaintext plain) {
        byte[] appBuffer = plain.bytes;
        ByteBuffer appView = plain.view;
        while (true) {
            int n;
            try {
                n = t.receive(appBuffer, 0, receiveLimit, 0, recordAccepted);
            } catch (QueueTransport.NoInput empty) {
                settleDatagram();
                return;
            } catch (IOException | RuntimeException e) {
                settleDatagram();
                if (alerts.peerClosed()) {
                    peerClosed.run();
                } else {
                    failed.accept(e);
                }
                return;
            }
            if (n >= 0) {
                appView.clear().limit(n);
                listener.onRecord(appView);
            }
            if (alerts.peerClosed()) {
                settleDatagram();
                peerClosed.run();
                return;
            }
        }
    }

    /** BouncyCastle accepted (authenticated) a record of the datagram it is reading. */
    private void accepted(int flags) {
        acceptedInDatagram++;
        if ((flags & DTLSRecordFlags.IS_NEWEST) != 0) {
            listener.onNewestRecordAuthenticated();
        }
    }

    /** A thread's record buffer and the read-only view records are delivered through. */
    static final class Plaintext implements AutoCloseable {
        static final ThreadScratch<Plaintext> THREADS = new ThreadScratch<>(Plaintext::new);

        private byte[] bytes = new byte[0];
        private ByteBuffer view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();

        /** This set, its buffer at least {@code limit} bytes. */
        Plaintext forLimit(int limit) {
            if (bytes.length < limit) {
                bytes = new byte[limit];
                view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            }
            return this;
        }

        /** Heap memory: nothing to release. */
        @Override
        public void close() {
        }
    }

    /** The transport hands BouncyCastle the next datagram: settle the previous one. */
    void nextDatagram() {
        settleDatagram();
        datagramPending = true;
        acceptedInDatagram = 0;
    }

    /** A datagram none of whose records BouncyCastle accepted was dropped. */
    private void settleDatagram() {
        if (datagramPending && acceptedInDatagram == 0) {
            dropped.incrementAndGet();
        }
        datagramPending = false;
    }
}
