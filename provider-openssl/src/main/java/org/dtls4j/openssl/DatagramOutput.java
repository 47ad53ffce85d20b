package org.dtls4j.openssl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.ThreadScratch;

/**
 * An OpenSSL session's way out: drains the write BIO and sends one record per datagram
 * (OpenSSL 3.0's memory BIO keeps no datagram boundaries; every record already fits the
 * link MTU set with {@code DTLS_set_link_mtu}), notes the last epoch-0 record
 * number, and keeps the final flight of a handshake for the peer's retransmissions.
 *
 * <p>Not thread-safe: part of one {@link OpenSslSession}, used on its caller's thread.
 */
final class DatagramOutput {

    private final SslHandle handle;
    private final DtlsSessionListener listener;
    private int emitted;
    /** The highest epoch-0 record sequence number sent, for an alert of our own. */
    private long epoch0Sequence = -1;
    /**
     * Our last flight, kept once the handshake is complete until the peer's first record
     * shows it arrived: OpenSSL resends it only for a retransmitted Finished it has not
     * seen, and drops as replays the byte-identical flights some peers (our JSSE provider)
     * resend.
     */
    private List<byte[]> lastFlight;
    /** Whether the datagrams emitted now are copied into {@link #lastFlight}. */
    private boolean keepingFlight;

    DatagramOutput(SslHandle handle, DtlsSessionListener listener) {
        this.handle = handle;
        this.listener = listener;
    }

    /** Datagrams sent so far. */
    int emitted() {
        return emitted;
    }

    long epoch0Sequence() {
        return epoch0Sequence;
    }

    /** A datagram of the session's own making (an alert). */
    void emit(ByteBuffer datagram) {
        emitted++;
        listener.onDatagram(datagram);
    }

    /** Sends every record OpenSSL wrote, one per datagram. */
    void drain() {
        long pending = LibSsl.BIO_ctrl_pending(handle.wbio);
        if (pending <= 0) {
            return;
        }
        ThreadScratch.Lease<Scratch> lease = Scratch.THREADS.enter(handle);
        Scratch scratch = lease.buffers();
        try {
            while (pending > 0) {
                scratch.ensureOut(pending);
                int n = LibSsl.BIO_read(handle.wbio, scratch.out, (int) Math.min(pending, scratch.out.size()));
                if (n <= 0) {
                    break;
                }
                pending -= n; // nothing else writes to the BIO meanwhile: no second pending query
                ByteBuffer outView = scratch.outView;
                for (int at = 0; at < n; ) {
                    outView.clear(); // absolute reads check the limit
                    int length = DtlsRecords.recordSizeWithin(outView, at, n);
                    outView.position(at).limit(at + length);
                    if (length >= DtlsRecords.HEADER_SIZE && DtlsRecords.epoch(outView, at) == 0) {
                        epoch0Sequence = DtlsRecords.sequenceNumber(outView, at);
                    }
                    emitted++;
                    if (keepingFlight) {
                        byte[] copy = new byte[length];
                        outView.duplicate().get(copy);
                        lastFlight.add(copy);
                    }
                    listener.onDatagram(outView);
                    at += length;
                }
            }
        } finally {
            lease.exit();
        }
    }

    /** Drains the handshake's final flight and keeps a copy of it. */
    void drainKeepingFlight() {
        lastFlight = new ArrayList<>(4);
        keepingFlight = true;
        try {
            drain();
        } finally {
            keepingFlight = false;
        }
    }

    boolean hasLastFlight() {
        return lastFlight != null && !lastFlight.isEmpty();
    }

    void forgetLastFlight() {
        lastFlight = null;
    }

    void resendLastFlight() {
        for (byte[] d : lastFlight) {
            emitted++;
            listener.onDatagram(ByteBuffer.wrap(d).asReadOnlyBuffer());
        }
    }
}
