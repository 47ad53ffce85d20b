package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;

/**
 * A JSSE session's record path in: each record of a framed datagram passes the
 * {@link RecordGate}, then goes to the engine on its own, and what JSSE made of it is acted
 * on (application data delivered, a late Finished answered with the kept flight, close and
 * completion reported to the session).
 *
 * <p>Not thread-safe: part of one {@link JsseSession}, used on its caller's thread.
 */
final class RecordReader {

    /** What the reader needs of its session, whose state it does not own. */
    interface Session {
        /** The engine, or null once the session has ended (it may end while records are read). */
        EngineDriver io();

        boolean established();

        /** The engine answered with a new flight during this call. */
        void newFlight();

        void checkCompletion();

        void peerClosed();
    }

    private final RecordGate gate;
    private final LastFlight lastFlight;
    private final FlightOutput output;
    private final DtlsSessionListener listener;
    private final LongSupplier clock;
    private final Session session;
    /**
     * Frames each datagram before it is copied ({@link #wellFormed}), then walks the copy
     * that is read: a record goes to JSSE only when every header of its datagram is sound.
     */
    private final DtlsRecordCursor records = new DtlsRecordCursor();
    /** The description of the last plaintext fatal alert given to JSSE, or -1: the peer's, if JSSE then fails. */
    private int receivedFatalAlert = -1;

    /**
     * Whether the datagram is one or more whole records of a known content type (up to
     * tls12_cid): JSSE discards a datagram whose first header is bad, but a bad header
     * further in, or a length past the end, reaches its decoder; checking here makes every
     * malformed datagram a counted drop, as on every backend.
     */
    boolean wellFormed(ByteBuffer datagram) {
        return wellFormed(records, datagram);
    }

    /** {@link #wellFormed(ByteBuffer)} with a cursor of the caller's. */
    static boolean wellFormed(DtlsRecordCursor records, ByteBuffer datagram) {
        return records.reset(datagram).count(DtlsRecords.TLS12_CID, 0xffff) > 0;
    }

    RecordReader(RecordGate gate, LastFlight lastFlight, FlightOutput output, DtlsSessionListener listener,
                 LongSupplier clock, Session session) {
        this.gate = gate;
        this.lastFlight = lastFlight;
        this.output = output;
        this.listener = listener;
        this.clock = clock;
        this.session = session;
    }

    /**
     * Feeds the records of {@code in} (the session's copy of a datagram) to the engine one by one.
     *
     * @return whether any record was dropped
     */
    boolean readRecords(ByteBuffer in) throws SSLException {
        int end = in.limit();
        boolean droppedAny = false;
        records.reset(in);
        while (session.io() != null && records.next()) {
            int record = records.start();
            int next = records.end();
            RecordGate.Verdict verdict = gate.check(in, record);
            if (verdict != RecordGate.Verdict.PASS) {
                in.position(next);
                droppedAny = true;
                if (verdict == RecordGate.Verdict.DROP_AND_RESEND && !lastFlight.isEmpty()) {
                    output.resendLastFlight(); // RFC 6347 section 4.2.4: the peer missed our answer
                }
                continue;
            }
            gate.passing(in, record);
            session.io().advance(); // pending output first: JSSE will not read while it has something to write
            if (session.io() == null) {
                break;
            }
            if (!readRecord(in, record, next, end)) {
                droppedAny = true;
            }
        }
        return droppedAny;
    }

    /** {@return the description of the last plaintext fatal alert given to JSSE, or -1 if none} */
    int receivedFatalAlert() {
        return receivedFatalAlert;
    }

    /**
     * Gives one record to JSSE and acts on what it made of it.
     *
     * @return false if JSSE discarded the record
     */
    private boolean readRecord(ByteBuffer in, int record, int next, int end) throws SSLException {
        int type = DtlsRecords.contentType(in, record);
        int epoch = DtlsRecords.epoch(in, record);
        long sequence = DtlsRecords.sequenceNumber(in, record);
        EngineDriver io = session.io();
        boolean established = session.established();
        int emittedBefore = output.emitted();
        int alert = DtlsRecords.plaintextFatalAlert(in, record);
        if (alert >= 0) {
            receivedFatalAlert = alert;
        }
        in.limit(next);
        SSLEngineResult r;
        try {
            r = io.unwrap(in);
        } finally {
            in.limit(end);
        }
        if (in.position() != next) {
            in.position(next); // JSSE would not read the record at all
            return false;
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            if (io.engine().isInboundDone()) {
                session.peerClosed();
            }
            return true;
        }
        // JSSE reports a record's sequence number only when it authenticated and used it.
        boolean discarded = r.sequenceNumber() == -1;
        if (type == DtlsRecords.APPLICATION_DATA && !discarded) {
            gate.authenticated(epoch, sequence);
            lastFlight.forget(); // the peer has finished: it will not ask for our flight again
            listener.onRecord(io.applicationData());
        } else if (established && type == DtlsRecords.HANDSHAKE && epoch > 0
                && lastFlight.mayResendLate(clock.getAsLong())) {
            output.resendLastFlight(); // the peer retransmitted its Finished: ours was lost
        }
        session.io().advance(); // as before the split: the session's engine, not this call's copy
        if (output.emitted() > emittedBefore && gate.answeredNow()) {
            session.newFlight();
        }
        session.checkCompletion();
        // During the handshake JSSE keeps handshake records for later and says so the same
        // way; after it, nothing but application data and alerts is of use, so a discarded
        // record was stale or failed authentication.
        return !(discarded && (established || type == DtlsRecords.APPLICATION_DATA));
    }
}
