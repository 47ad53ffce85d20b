package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSRecordCallback;
import org.bouncycastle.tls.DTLSRecordFlags;
import org.bouncycastle.tls.DTLSTransport;
import org.dtls4j.DtlsSessionListener;

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
    private byte[] appBuffer;
    /** The one read-only view of {@link #appBuffer} each record is delivered through. */
    private ByteBuffer appView;
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
        appBuffer = new byte[Math.max(1, receiveLimit)];
        appView = ByteBuffer.wrap(appBuffer).asReadOnlyBuffer();
    }

    /** Lets BouncyCastle read every queued datagram. */
    void drain(DTLSTransport t) {
        while (true) {
            int n;
            try {
                n = t.receive(appBuffer, 0, appBuffer.length, 0, recordAccepted);
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
