package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import org.dtls4j.DtlsRole;
import org.dtls4j.spi.DtlsRecords;

/**
 * Decides, record by record, what of a well-formed datagram reaches JSSE. Each rule keeps
 * from JSSE something it mishandles:
 * <ul>
 *   <li>a record larger than JSSE's own maximum packet size (after the handshake that is
 *       the configured {@code maxDatagramSize}): JSSE fails the session for it ("Input
 *       record too big") before any authentication, so anyone who can spoof the peer's
 *       address could end the session with one datagram. It is dropped instead, which also
 *       means that a JSSE session cannot hear a peer configured with a larger datagram size
 *       than its own;</li>
 *   <li>application data before the handshake completed: JSSE fails the handshake with
 *       {@code unexpected_message}, which a lost Finished and an eager peer cause on any
 *       lossy path (RFC 6347 section 4.1.2.7 allows dropping it);</li>
 *   <li>a replayed application record: JSSE delivers it again ({@link ReplayWindow});</li>
 *   <li>after the handshake, a record whose header carries another version: JSSE never
 *       checks it, although the MAC covers it (RFC 6347 section 4.1.2.1), so a corrupted
 *       version would be delivered;</li>
 *   <li>during the handshake, a record of an epoch the peer cannot be in yet: above 0
 *       before its ChangeCipherSpec, above 1 after it. JSSE keeps such a record (a copy of
 *       a plaintext handshake datagram relabelled to epoch 1, say) and then never answers
 *       the real ClientHello: a spoofed datagram stalled the handshake. A Finished that
 *       overtook its ChangeCipherSpec is dropped too, and comes again with the peer's flight;</li>
 *   <li>during the handshake, copies of peer flights JSSE has already answered
 *       ({@link PeerFlights}), and a server's ChangeCipherSpec and Finished that overtook
 *       its NewSessionTicket ({@link TicketGuard}).</li>
 * </ul>
 *
 * <p>Not thread-safe: owned by one session.
 */
final class RecordGate {

    /** What to do with one record. */
    enum Verdict {
        /** Give it to JSSE. */
        PASS,
        /** Drop it and count the datagram. */
        DROP,
        /** Drop it: it starts a retransmission of a peer flight; answer with our last flight. */
        DROP_AND_RESEND
    }

    private final DtlsRole role;
    private final ReplayWindow replayWindow = new ReplayWindow();
    private final PeerFlights peerFlights = new PeerFlights();
    private final TicketGuard ticketGuard = new TicketGuard();
    private boolean established;
    /** Whether a ChangeCipherSpec from the peer has gone to JSSE during this handshake. */
    private boolean peerChangedCipher;
    private int negotiatedVersion;
    /** The largest record, header included, JSSE reads without failing the session. */
    private int largestRecord;

    RecordGate(DtlsRole role, int largestRecord) {
        this.role = role;
        this.largestRecord = largestRecord;
    }

    /**
     * The handshake completed with this version (its wire form, e.g. {@code 0xfefd});
     * from now on JSSE reads records of at most {@code largestRecord} bytes.
     */
    void established(int wireVersion, int largestRecord) {
        established = true;
        negotiatedVersion = wireVersion;
        this.largestRecord = largestRecord;
    }

    Verdict check(ByteBuffer in, int record) {
        if (DtlsRecords.recordSize(in, record) > largestRecord) {
            return Verdict.DROP;
        }
        int type = DtlsRecords.contentType(in, record);
        if (established) {
            if (DtlsRecords.version(in, record) != negotiatedVersion) {
                return Verdict.DROP;
            }
            if (type == DtlsRecords.APPLICATION_DATA
                    && replayWindow.isReplay(DtlsRecords.epoch(in, record), DtlsRecords.sequenceNumber(in, record))) {
                return Verdict.DROP;
            }
            return Verdict.PASS;
        }
        if (type == DtlsRecords.APPLICATION_DATA || DtlsRecords.epoch(in, record) > (peerChangedCipher ? 1 : 0)) {
            return Verdict.DROP;
        }
        switch (peerFlights.classify(in, record)) {
            case STALE:
                return Verdict.DROP;
            case RETRANSMITTED_FLIGHT:
                return Verdict.DROP_AND_RESEND;
            default:
                break;
        }
        if (role == DtlsRole.CLIENT && ticketGuard.holdsBack(in, record)) {
            return Verdict.DROP;
        }
        return Verdict.PASS;
    }

    /** The record passed and is about to be given to JSSE. */
    void passing(ByteBuffer in, int record) {
        if (!established) {
            peerChangedCipher |= DtlsRecords.contentType(in, record) == DtlsRecords.CHANGE_CIPHER_SPEC;
            peerFlights.read(in, record);
            ticketGuard.observe(in, record);
        }
    }

    /** JSSE authenticated this application record. */
    void authenticated(int epoch, long sequence) {
        replayWindow.accept(epoch, sequence);
    }

    /** See {@link PeerFlights#answeredNow()}. */
    boolean answeredNow() {
        return peerFlights.answeredNow();
    }

    /** A synthetic record was given to JSSE and answered (see {@link ClientHelloRewriter}). */
    void primedWith(ByteBuffer synthetic) {
        peerFlights.read(synthetic, synthetic.position());
        peerFlights.answeredNow();
    }
}
