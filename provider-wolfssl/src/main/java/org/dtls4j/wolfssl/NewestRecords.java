package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.DtlsRecordCursor;

/**
 * Tells the listener when a record authenticated and was the newest the session has seen
 * ({@link DtlsSessionListener#onNewestRecordAuthenticated}), the proof the api's listener moves
 * a peer's address on (RFC 9146 section 6, RFC 9147 section 9). wolfSSL has no word for it;
 * two facts it does give make it:
 *
 * <ul>
 * <li><b>Authenticated and not a replay.</b> A pending peer ({@code wolfSSL_dtls_set_pending_peer})
 * becomes wolfSSL's peer only when the next record it reads deprotects and passes the replay
 * window ({@code dtlsProcessPendingPeer} in internal.c; a record that fails either clears it).
 * With our I/O callbacks the peer is opaque bytes to wolfSSL, so before a datagram one of two
 * markers is staged, and afterwards the peer says whether it was taken.
 * <li><b>The record's number.</b> In DTLS 1.2 the header carries epoch and sequence number in
 * the clear. In 1.3 the sequence number is encrypted in the header: wolfSSL's reconstruction of
 * the record it just read is read back ({@link LibWolfSsl#Dtls13GetSeq}), and the epoch is
 * reconstructed here from the header's two low bits, next to the newest epoch seen.
 * </ul>
 *
 * <p>Only a datagram of exactly one record is judged: the staged marker is good for the first
 * record and the read-back number is the last one's. A datagram of several records is never
 * reported newest, so it moves no address; the peer's next single-record datagram does. Used
 * only once the handshake negotiated connection IDs; it costs two or three JNA calls and one
 * small allocation inside wolfSSL per datagram.
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}; the caller owns the {@code WOLFSSL}.
 */
final class NewestRecords {

    /** Two sockaddr_in-shaped markers (family AF_INET, ports 1 and 2 in the 0.0.0.0 address). */
    private static final byte[][] MARKERS = {marker(1), marker(2)};
    private static final long UNSEEN = -1;

    private final Pointer ssl;
    private final boolean dtls13;
    private final DtlsSessionListener listener;
    private final byte[] peer = new byte[64];
    private final int[] peerSize = new int[1];
    private final int[] sequence = new int[2];
    private boolean enabled;
    /** The marker wolfSSL last took as its peer, -1 for none. */
    private int adopted = -1;
    /** The marker staged for the datagram being read, -1 when this datagram is not judged. */
    private int staged = -1;
    /** The staged datagram's record: its epoch (1.3: the two low bits) and its 1.2 sequence number. */
    private int stagedEpoch;
    private long stagedSequence;
    private long newestEpoch = UNSEEN;
    private long newestSequence = UNSEEN;

    NewestRecords(Pointer ssl, boolean dtls13, DtlsSessionListener listener) {
        this.ssl = ssl;
        this.dtls13 = dtls13;
        this.listener = listener;
    }

    private static byte[] marker(int port) {
        byte[] m = new byte[16];
        m[0] = 2; // AF_INET, in the host's (little-endian) order, as sockAddrEqual compares it
        m[3] = (byte) port;
        return m;
    }

    /** From the end of the handshake, if it negotiated connection IDs: records are judged. */
    void enable() {
        enabled = true;
    }

    /**
     * Before wolfSSL reads {@code datagram}, which the session found to hold {@code records}
     * well-framed records: stages a marker if it is one record.
     */
    void before(DtlsRecordCursor framing, ByteBuffer datagram, int records) {
        staged = -1;
        if (!enabled || records != 1 || !framing.reset(datagram).next()) {
            return; // several records: not judged
        }
        int epoch = framing.epoch();
        long sequenceNumber = framing.isUnified() ? UNSEEN : framing.sequenceNumber();
        int next = adopted == 0 ? 1 : 0;
        if (LibWolfSsl.wolfSSL_dtls_set_pending_peer(ssl, MARKERS[next], MARKERS[next].length) == LibWolfSsl.WOLFSSL_SUCCESS) {
            staged = next;
            stagedEpoch = epoch;
            stagedSequence = sequenceNumber;
        }
    }

    /**
     * Once wolfSSL has read the staged record (before its data is delivered, so that replies to
     * it already go to a moved address), and again after the datagram: reports it if it
     * authenticated and is the newest. Does nothing the second time.
     */
    void settle() {
        if (staged < 0) {
            return;
        }
        byte[] marker = MARKERS[staged];
        staged = -1;
        peerSize[0] = peer.length;
        if (LibWolfSsl.wolfSSL_dtls_get_peer(ssl, peer, peerSize) != LibWolfSsl.WOLFSSL_SUCCESS
                || peerSize[0] != marker.length || !Arrays.equals(peer, 0, marker.length, marker, 0, marker.length)) {
            // not taken: the record failed or was a replay; the marker must not wait for the next one
            LibWolfSsl.wolfSSL_dtls_set_pending_peer(ssl, null, 0);
            return;
        }
        adopted = marker == MARKERS[0] ? 0 : 1;
        long epoch;
        long sequenceNumber;
        if (dtls13) {
            epoch = epochFromLowBits(stagedEpoch);
            if (epoch < 0 || LibWolfSsl.Dtls13GetSeq(ssl, LibWolfSsl.PEER_ORDER, sequence, (byte) 0) != 0) {
                return;
            }
            sequenceNumber = (Integer.toUnsignedLong(sequence[0]) << 32) | Integer.toUnsignedLong(sequence[1]);
        } else {
            epoch = stagedEpoch;
            sequenceNumber = stagedSequence;
        }
        if (epoch > newestEpoch || (epoch == newestEpoch && sequenceNumber > newestSequence)) {
            newestEpoch = epoch;
            newestSequence = sequenceNumber;
            listener.onNewestRecordAuthenticated();
        }
    }

    /**
     * The DTLS 1.3 epoch whose two low bits are {@code bits}, next to the newest seen (RFC 9147
     * section 4.2.2: epochs move by one at a time); -1 when two away, which cannot be told apart.
     * Before any, the lowest epoch a protected record can have: 2, the handshake's.
     */
    private long epochFromLowBits(int bits) {
        if (newestEpoch == UNSEEN) {
            return 2 + ((bits - 2) & 3);
        }
        return switch ((int) ((bits - newestEpoch) & 3)) {
            case 0 -> newestEpoch;
            case 1 -> newestEpoch + 1;
            case 3 -> newestEpoch - 1;
            default -> -1;
        };
    }
}
