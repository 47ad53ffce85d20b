package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.spi.DtlsRecords;

/**
 * The datagrams of the session's last handshake flight, kept so that the session, not
 * JSSE, retransmits them: the same fragments, on the timer and when the peer shows it missed
 * them (RFC 6347 section 4.2.4).
 *
 * <p>Why not let JSSE resend (a {@code wrap} while it waits for the peer)? Two JDK 17
 * behaviours make that fragile on a lossy path:
 * <ul>
 *   <li>every third retransmission halves JSSE's packet size, so the same handshake
 *       message is cut into fragments at new offsets; JSSE's own reassembler discards a
 *       fragment that straddles the edge of a gap it still has ("fragment ranges are
 *       overlapping"), so a peer that kept part of an earlier copy can never complete the
 *       message and the handshake stalls until it times out;</li>
 *   <li>once its handshake is finished JSSE forgets its last flight and ignores the peer's
 *       retransmitted Finished, so a server whose final flight was lost leaves the client
 *       stranded. Instead JSSE sends the final flight twice at once; that second copy is
 *       held back here (one copy on a clean network, every record the peer receives one it
 *       can use), and the kept flight answers the peer's retransmissions instead.</li>
 * </ul>
 * The session gives resent epoch-0 records fresh sequence numbers (an OpenSSL peer drops a
 * repeated number as a replay, even of a ChangeCipherSpec it could not use yet); the
 * encrypted Finished keeps its number, which is under the record MAC.
 *
 * <p>After the handshake the kept final flight answers the peer's retransmissions for as
 * long as the peer may still be trying (the handshake timeout), but not more often than
 * once per half the initial retransmission interval: the trigger, a handshake record of
 * the current epoch, cannot be told from a forgery before JSSE has read it, so its rate is
 * what bounds the amplification. The flight is forgotten as soon as the peer's first
 * application record proves that it has finished too.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class LastFlight {

    private List<byte[]> flight = new ArrayList<>();
    private List<byte[]> pending = new ArrayList<>();
    /** The current call has produced a Finished: what JSSE adds after it is its second copy. */
    private boolean finishedSent;
    /** After the handshake: no late resend after this time ({@link System#nanoTime()} scale). */
    private long lateUntil;
    private long nextLateResend;
    private long lateGap;

    /**
     * Offers a handshake datagram JSSE produced in the current call.
     *
     * @return false if it must not be sent: part of JSSE's immediate second copy of a
     *         final flight
     */
    boolean offer(ByteBuffer datagram) {
        int at = datagram.position();
        int type = DtlsRecords.contentType(datagram, at);
        if (type != DtlsRecords.HANDSHAKE && type != DtlsRecords.CHANGE_CIPHER_SPEC) {
            return true; // alerts pass, unrecorded
        }
        if (finishedSent) {
            return false;
        }
        // No cap of our own: JSSE holds the same flight and bounds its messages
        // (jdk.tls.maxHandshakeMessageSize), so the copy is at most as large.
        byte[] copy = new byte[datagram.remaining()];
        datagram.duplicate().get(copy);
        pending.add(copy);
        // The Finished is the only encrypted handshake record of a DTLS 1.2 flight, and the last one.
        finishedSent = type == DtlsRecords.HANDSHAKE && DtlsRecords.epoch(datagram, at) > 0;
        return true;
    }

    /** The call ends: what JSSE sent in it, if anything, is now the flight to resend. */
    void endCall() {
        if (!pending.isEmpty()) {
            List<byte[]> swap = flight;
            flight = pending;
            pending = swap;
            pending.clear();
        }
        finishedSent = false;
    }

    boolean isEmpty() {
        return flight.isEmpty();
    }

    /** The kept datagrams, to send again. */
    List<byte[]> datagrams() {
        return flight;
    }

    /**
     * The handshake completed at {@code now}: keep the final flight for {@code keepNanos},
     * resending it at most once per {@code gapNanos}.
     */
    void keepAfterHandshake(long now, long keepNanos, long gapNanos) {
        lateUntil = now + keepNanos;
        nextLateResend = now;
        lateGap = gapNanos;
    }

    /** After the handshake: whether the kept final flight may answer a retransmission now. */
    boolean mayResendLate(long now) {
        if (flight.isEmpty()) {
            return false;
        }
        if (now - lateUntil > 0) {
            forget();
            return false;
        }
        if (now - nextLateResend < 0) {
            return false;
        }
        nextLateResend = now + lateGap;
        return true;
    }

    /** Nothing will ask for the flight again. */
    void forget() {
        flight.clear();
        pending.clear();
        finishedSent = false;
    }
}
