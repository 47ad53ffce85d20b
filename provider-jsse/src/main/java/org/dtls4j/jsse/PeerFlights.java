package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import org.dtls4j.spi.DtlsRecords;

/**
 * Tracks how far JSSE has read the peer's handshake, by message_seq, so that the session
 * can keep retransmitted copies of flights JSSE has already answered away from it.
 *
 * <p>JDK 17's reassembler copes with a whole retransmitted flight, but not with a partial
 * one: stale fragments that arrive while it waits for the peer's next flight stay buffered
 * and are later taken for new messages ({@code unexpected_message: server_key_exchange}),
 * failing the handshake on an ordinary lossy path. A flight is known to be read once JSSE
 * has answered it; from then on its fragments are dropped here. The first fragment of such
 * a retransmitted flight still does what RFC 6347 section 4.2.4 asks of it: the session
 * answers by retransmitting its own last flight.
 *
 * <p>Only plaintext (epoch 0) handshake records can be read here; that covers every flight
 * but the one that holds a Finished, and JSSE handles those correctly.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class PeerFlights {

    /** What to do with a record from the peer. */
    enum Verdict {
        /** Give it to JSSE. */
        READ,
        /** A copy of a message JSSE has already answered: drop it. */
        STALE,
        /** The first fragment of a flight JSSE has already answered: drop it, and resend our answer. */
        RETRANSMITTED_FLIGHT
    }

    /** The highest message_seq given to JSSE. */
    private int given = -1;
    /** The highest message_seq JSSE has answered. */
    private int answered = -1;
    /** The message_seq that began the flight JSSE answered last. */
    private int lastFlightStart = -1;

    Verdict classify(ByteBuffer b, int record) {
        if (DtlsRecords.plaintextHandshakeType(b, record) < 0) {
            return Verdict.READ;
        }
        int hs = record + DtlsRecords.HEADER_SIZE;
        int messageSeq = ((b.get(hs + 4) & 0xff) << 8) | (b.get(hs + 5) & 0xff);
        if (messageSeq > answered) {
            return Verdict.READ;
        }
        boolean flightStart = messageSeq == lastFlightStart
                && b.get(hs + 6) == 0 && b.get(hs + 7) == 0 && b.get(hs + 8) == 0; // fragment_offset 0
        return flightStart ? Verdict.RETRANSMITTED_FLIGHT : Verdict.STALE;
    }

    /** The record was given to JSSE. */
    void read(ByteBuffer b, int record) {
        if (DtlsRecords.plaintextHandshakeType(b, record) >= 0) {
            int hs = record + DtlsRecords.HEADER_SIZE;
            given = Math.max(given, ((b.get(hs + 4) & 0xff) << 8) | (b.get(hs + 5) & 0xff));
        }
    }

    /**
     * JSSE has just sent something after reading the peer's records.
     *
     * @return whether that answers messages it had not answered before: a new flight,
     *         rather than a resend of the last one
     */
    boolean answeredNow() {
        if (given <= answered) {
            return false;
        }
        lastFlightStart = answered + 1;
        answered = given;
        return true;
    }
}
