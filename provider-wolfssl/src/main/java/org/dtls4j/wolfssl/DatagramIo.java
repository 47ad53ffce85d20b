package org.dtls4j.wolfssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.dtls4j.DtlsSessionListener;

/**
 * A wolfSSL session's two I/O callbacks: {@link #recv} hands wolfSSL the one datagram the
 * session is being fed, whole, then "want read" until the next; {@link #send} is one
 * datagram for the peer, passed to the listener straight from wolfSSL's buffer. wolfSSL
 * packs a flight into datagrams up to the MTU set with {@code wolfSSL_dtls_set_mtu}.
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}, called on its caller's thread
 * (wolfSSL calls back on the thread that called it).
 */
final class DatagramIo {

    private final Memory in;
    private final DtlsSessionListener listener;
    private int inLength;
    private boolean pending;
    private int emitted;

    DatagramIo(Memory in, DtlsSessionListener listener) {
        this.in = in;
        this.listener = listener;
    }

    /** The next datagram wolfSSL reads: {@code datagram}'s remaining bytes, consumed. */
    void feed(ByteBuffer datagram) {
        inLength = datagram.remaining();
        in.getByteBuffer(0, inLength).put(datagram);
        pending = true;
    }

    /** Forgets a datagram wolfSSL did not read. */
    void clear() {
        pending = false;
    }

    /** Datagrams sent so far. */
    int emitted() {
        return emitted;
    }

    int recv(Pointer buf, int sz) {
        if (!pending) {
            return LibWolfSsl.WOLFSSL_CBIO_ERR_WANT_READ;
        }
        pending = false;
        int n = Math.min(sz, inLength); // wolfSSL offers room for the largest record: a datagram fits
        buf.getByteBuffer(0, n).put(in.getByteBuffer(0, n));
        return n;
    }

    int send(Pointer buf, int sz) {
        emitted++;
        try {
            listener.onDatagram(buf.getByteBuffer(0, sz).asReadOnlyBuffer());
        } catch (RuntimeException e) {
            // a listener's failure must not unwind through wolfSSL; the datagram counts as lost
            System.getLogger(DatagramIo.class.getName()).log(System.Logger.Level.DEBUG, "listener failed", e);
        }
        return sz;
    }
}
