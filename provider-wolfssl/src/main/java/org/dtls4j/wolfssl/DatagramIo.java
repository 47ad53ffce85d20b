package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.DtlsRecords;

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

    private static final int DTLS_1_2 = 0xfefd;
    /** The largest MTU wolfSSL takes ({@code MAX_RECORD_SIZE}). */
    private static final int MAX_MTU = 1 << 14;

    private final DtlsSessionListener listener;
    /** The caller's buffer holding the datagram wolfSSL reads next, valid during the session call that fed it. */
    private ByteBuffer in;
    private int inAt;
    private int inLength;
    private boolean pending;
    /** The session whose MTU {@link #recv} sets back to {@link #restoreMtu}; null when none was raised. */
    private Pointer restoreOn;
    private int restoreMtu;
    private int emitted;
    /** The highest epoch-0 record sequence number sent, for an alert of our own. */
    private long epoch0Sequence = -1;
    /** The session_id of the first ServerHello sent (a server's), empty before. */
    private byte[] serverHelloSessionId = new byte[0];
    /** Whether wolfSSL's datagrams are swallowed: after an alert of our own, nothing of wolfSSL's follows. */
    private boolean muted;

    DatagramIo(DtlsSessionListener listener) {
        this.listener = listener;
    }

    /**
     * The next datagram wolfSSL reads: {@code datagram}'s remaining bytes, consumed. wolfSSL
     * reads it during the same session call ({@link #clear} ends it), so no copy is kept.
     */
    void feed(ByteBuffer datagram) {
        in = datagram;
        inAt = datagram.position();
        inLength = datagram.remaining();
        datagram.position(datagram.limit());
        pending = true;
    }

    /**
     * Feeds a datagram larger than the session's MTU: a ClientHello reassembled from its
     * fragments ({@link FirstClientHello}). wolfSSL reads no more than the MTU and a little
     * more, so the MTU is raised for this one read and set back to {@code mtu} in
     * {@link #recv}, before wolfSSL writes its answer, which it still fragments to {@code mtu}.
     */
    void feedOversized(ByteBuffer datagram, Pointer ssl, int mtu) {
        feed(datagram);
        LibWolfSsl.wolfSSL_dtls_set_mtu(ssl, (short) MAX_MTU);
        restoreOn = ssl;
        restoreMtu = mtu;
    }

    /** Forgets a datagram wolfSSL did not read. */
    void clear() {
        pending = false;
        in = null;
        restoreMtu();
    }

    private void restoreMtu() {
        if (restoreOn != null) {
            LibWolfSsl.wolfSSL_dtls_set_mtu(restoreOn, (short) restoreMtu);
            restoreOn = null;
        }
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
        restoreMtu();
        int n = Math.min(sz, inLength); // wolfSSL offers room for the largest record: a datagram fits
        buf.getByteBuffer(0, n).put(0, in, inAt, n);
        in = null;
        return n;
    }

    /**
     * Sends a fatal alert of our own and swallows everything wolfSSL writes from then on:
     * through wolfSSL's internal {@code SendAlert} where the library exports it (protected
     * under the current epoch, as DTLS 1.3 needs), else as a plaintext DTLS 1.2 record at
     * epoch 0, numbered after the last epoch-0 record sent.
     */
    void sendFatalAlertAndMute(Pointer ssl, DtlsAlert alert) {
        if (WolfSslLibrary.hasSendAlert()) {
            LibWolfSsl.SendAlert(ssl, DtlsRecords.FATAL, alert.code()); // through send(): protected as the epoch needs
            muted = true;
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + 2);
        DtlsRecords.putHeader(b, DtlsRecords.ALERT, DTLS_1_2, 0, epoch0Sequence + 1, 2)
                .put(DtlsRecords.FATAL).put((byte) alert.code()).flip();
        emitted++;
        listener.onDatagram(b.asReadOnlyBuffer());
        muted = true;
    }

    /** The session_id of the ServerHello this session sent, for {@link ServerSessions}; empty before one. */
    byte[] serverHelloSessionId() {
        return serverHelloSessionId;
    }

    /** Keeps the session_id of a whole ServerHello (handshake type 2, fragment offset 0) at {@code at}. */
    private void noteServerHello(ByteBuffer d, int at, int end) {
        int body = at + DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE;
        if (serverHelloSessionId.length > 0 || body + 35 > end || DtlsRecords.u8(d, at) != DtlsRecords.HANDSHAKE
                || DtlsRecords.u8(d, at + DtlsRecords.HEADER_SIZE) != 2 || DtlsRecords.u16(d, at + 19) != 0
                || DtlsRecords.u8(d, at + 21) != 0) {
            return;
        }
        int length = DtlsRecords.u8(d, body + 34); // after server_version and random
        if (length > 0 && body + 35 + length <= end) {
            serverHelloSessionId = new byte[length];
            d.get(body + 35, serverHelloSessionId);
        }
    }

    int send(Pointer buf, int sz) {
        if (muted) {
            return sz;
        }
        emitted++;
        try {
            ByteBuffer d = buf.getByteBuffer(0, sz).asReadOnlyBuffer();
            for (int at = 0; at + DtlsRecords.HEADER_SIZE <= sz; ) {
                if (DtlsRecords.epoch(d, at) == 0) {
                    epoch0Sequence = Math.max(epoch0Sequence, DtlsRecords.sequenceNumber(d, at));
                    noteServerHello(d, at, sz);
                }
                int n = DtlsRecords.recordSizeWithin(d, at, sz);
                if (n <= 0) {
                    break;
                }
                at += n;
            }
            listener.onDatagram(d);
        } catch (RuntimeException e) {
            // a listener's failure must not unwind through wolfSSL; the datagram counts as lost
            System.getLogger(DatagramIo.class.getName()).log(System.Logger.Level.DEBUG, "listener failed", e);
        }
        return sz;
    }
}
