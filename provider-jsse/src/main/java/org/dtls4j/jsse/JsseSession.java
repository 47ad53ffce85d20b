package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsHandshakeTimeoutException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.RetransmissionTimer;
import org.dtls4j.spi.SessionPreconditions;

/**
 * A {@link DtlsSession} over one JSSE {@link SSLEngine} in DTLS mode.
 *
 * <p>JSSE's DTLS engine is already sans-IO: one {@code wrap} produces one record, sized to
 * the configured maximum packet size, and one {@code unwrap} reads one record
 * ({@link EngineDriver} runs it). This class adds what the contract asks and JSSE leaves to
 * its caller, or gets wrong on a lossy path:
 * <ul>
 *   <li>a framing check of every datagram before JSSE sees it ({@link DtlsRecords}), and a
 *       record-by-record gate ({@link RecordGate}: early and replayed application data,
 *       stale flights, a ticket overtaken by the Finished);</li>
 *   <li>retransmission on the {@link RetransmissionTimer}'s schedule, of datagrams the
 *       session keeps itself ({@link LastFlight});</li>
 *   <li>the failure report: the alert and who sent it ({@link JsseFailures});</li>
 *   <li>joining a handshake after a stateless cookie exchange ({@link ClientHelloRewriter}),
 *       also when the client fragmented its ClientHello ({@link ClientHelloReassembly}).</li>
 * </ul>
 *
 * <p>Not thread-safe, as the contract says: one caller at a time. {@link #state()} may be
 * read from any thread. Buffers are allocated once and reused for every datagram.
 */
final class JsseSession implements DtlsSession {

    private static final System.Logger LOG = System.getLogger(JsseSession.class.getName());
    /** Far more wraps than a record can need: a guard against an engine that never settles. */
    private static final int MAX_STEPS = 256;

    private final DtlsRole role;
    private final DtlsConfig config;
    private final DtlsSessionListener listener;
    private final SSLParameters parameters;
    /** The SNI a client sends, "" for none; unused by servers. */
    private final String requestedServerName;
    private final RetransmissionTimer timer;
    private final LongSupplier clock;
    private final RecordGate gate;
    private final LastFlight lastFlight = new LastFlight();
    private final DtlsRecordCursor records = new DtlsRecordCursor();
    /** The context's session IDs, to tell a resumption; null where sessions are invalidated instead. */
    private final SessionIds sessionIds;

    /** The engine; null once the session has ended. */
    private EngineDriver io;
    /** A copy of the datagram being read: JSSE decrypts in place, and the caller's buffer may be read-only. */
    private ByteBuffer netIn;

    private volatile DtlsSessionState state = DtlsSessionState.NEW;
    private volatile long dropped;
    private volatile DtlsSessionInfo info;
    private int maxRecordSize;

    /**
     * A server's first ClientHello while its fragments arrive, when it is one that follows
     * a HelloVerifyRequest (message_seq above 0); null otherwise and once it is whole.
     */
    private ClientHelloReassembly joining;
    /** Whether no datagram has been accepted yet (a server's cue to start its clock). */
    private boolean awaitingFirstDatagram = true;
    /** Datagrams emitted during the current call. */
    private int emitted;
    /** Whether the current call sent a new flight (not a resend of the last one). */
    private boolean newFlight;
    /** The plaintext handshake type of the last datagram emitted, or -1. */
    private int lastHandshakeType = -1;
    /** The plaintext fatal alert emitted during the current call, or -1. */
    private int sentAlert = -1;
    /** While priming the engine with a synthetic ClientHello: its answers are not for the peer. */
    private boolean suppressOutput;
    /**
     * The record sequence number the next epoch-0 record this session sends gets (see
     * {@link #renumberEpochZero}); a joined server session starts above the ClientHello it
     * joined with.
     */
    private long nextEpochZeroSequence;
    /**
     * JSSE halves its packet size after repeated retransmissions of its own; the configured
     * size is restored before the first application record.
     */
    private boolean restorePacketSize;

    JsseSession(DtlsRole role, DtlsConfig config, SSLEngine engine, SSLParameters parameters,
                String requestedServerName, int maxRecordSizeBeforeHandshake, DtlsSessionListener listener,
                LongSupplier clock, SessionIds sessionIds) {
        this.role = role;
        this.sessionIds = sessionIds;
        this.config = config;
        this.io = new EngineDriver(engine, config.maxDatagramSize(), this::emit);
        this.parameters = parameters;
        this.requestedServerName = requestedServerName;
        this.maxRecordSize = maxRecordSizeBeforeHandshake;
        this.listener = listener;
        this.clock = clock;
        this.timer = new RetransmissionTimer(config);
        this.gate = new RecordGate(role, engine.getSession().getPacketBufferSize());
        this.netIn = ByteBuffer.allocate(config.maxDatagramSize());
    }

    @Override
    public DtlsRole role() {
        return role;
    }

    @Override
    public DtlsSessionState state() {
        return state;
    }

    @Override
    public void beginHandshake() {
        SessionPreconditions.requireBeginnable(state);
        state = DtlsSessionState.HANDSHAKING;
        startCall();
        try {
            io.engine().beginHandshake();
            if (role == DtlsRole.CLIENT) {
                // A server's clock starts with the first ClientHello: until then it has nothing to time.
                timer.startHandshake(clock.getAsLong());
                awaitingFirstDatagram = false;
                io.advance();
                newFlight = true;
            }
        } catch (SSLException e) {
            fail(e);
        } finally {
            endCall();
        }
    }

    /**
     * Whether the datagram is one or more whole records of a known content type (up to
     * tls12_cid): JSSE discards a datagram whose first header is bad, but a bad header
     * further in, or a length past the end, reaches its decoder; checking here makes every
     * malformed datagram a counted drop, as on every backend.
     */
    static boolean wellFormed(DtlsRecordCursor records, ByteBuffer datagram) {
        return records.reset(datagram).count(DtlsRecords.TLS12_CID, 0xffff) > 0;
    }

    @Override
    public void receive(ByteBuffer datagram) {
        DtlsSessionState s = state;
        if (s == DtlsSessionState.NEW || s.isTerminal() || !wellFormed(records, datagram)) {
            datagram.position(datagram.limit());
            dropped++;
            return;
        }
        copyIn(datagram);
        startCall();
        try {
            if (awaitingFirstDatagram) {
                awaitingFirstDatagram = false;
                timer.startHandshake(clock.getAsLong());
                if (role == DtlsRole.SERVER) {
                    joining = ClientHelloReassembly.start(netIn);
                }
            }
            if (joining != null && !join()) {
                return;
            }
            if (readRecords()) {
                dropped++;
            }
            if (io != null) {
                io.advance();
            }
        } catch (SSLException e) {
            fail(e);
        } finally {
            endCall();
        }
    }

    @Override
    public void send(ByteBuffer record) {
        int size = record.remaining();
        SessionPreconditions.requireSendable(state, size, maxRecordSize);
        startCall();
        try {
            if (restorePacketSize) {
                restorePacketSize = false;
                io.engine().setSSLParameters(parameters);
            }
            // One wrap is one record is one datagram. The loop only guards against JSSE
            // fragmenting after all (it does not for records up to maxRecordSize()): better
            // two datagrams than a truncated record. An empty record sends nothing: JSSE
            // does not protect empty application records.
            for (int i = 0; record.hasRemaining() && i < MAX_STEPS; i++) {
                SSLEngineResult r = io.wrap(record);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new DtlsClosedException("the engine's outbound side is closed");
                }
                if (r.bytesConsumed() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            fail(e);
            throw new DtlsClosedException("the session failed while sending: " + e.getMessage());
        }
    }

    @Override
    public int maxRecordSize() {
        return maxRecordSize;
    }

    @Override
    public long nextTimeout() {
        return state == DtlsSessionState.HANDSHAKING ? timer.nextTimeout() : NO_TIMEOUT;
    }

    @Override
    public void handleTimeout() {
        if (state != DtlsSessionState.HANDSHAKING) {
            return;
        }
        long now = clock.getAsLong();
        if (timer.handshakeExpired(now)) {
            failWith(new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
        } else if (timer.flightExpired(now)) {
            if (lastFlight.isEmpty()) {
                timer.flightAnswered(); // nothing to resend; the handshake deadline still runs
            } else {
                resend(lastFlight.datagrams());
                timer.retransmitted(now);
            }
        }
    }

    @Override
    public Optional<DtlsSessionInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public long droppedDatagrams() {
        return dropped;
    }

    @Override
    public void close() {
        DtlsSessionState s = state;
        if (s.isTerminal()) {
            return;
        }
        try {
            if (s == DtlsSessionState.ESTABLISHED && io != null) {
                io.engine().closeOutbound();
                io.flush();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close_notify could not be sent", e);
        } finally {
            state = DtlsSessionState.CLOSED;
            timer.stop();
            release();
        }
    }

    @Override
    public String toString() {
        return "JsseSession[" + role + ", " + state + "]";
    }

    // ------------------------------------------------------------------ calls

    private void startCall() {
        emitted = 0;
        sentAlert = -1;
        newFlight = false;
    }

    /**
     * Ends a call that may have advanced the handshake: keeps what JSSE sent as the flight
     * to resend, notices completion, and arms the flight timer for a new flight. A
     * server's HelloVerifyRequest is not timed: RFC 6347 section 4.2.1 leaves its loss to
     * the client's retransmission.
     */
    private void endCall() {
        if (state.isTerminal()) {
            lastFlight.forget();
            return;
        }
        lastFlight.endCall();
        checkCompletion();
        if (state != DtlsSessionState.HANDSHAKING || !newFlight
                || io.status() != HandshakeStatus.NEED_UNWRAP) {
            return;
        }
        if (role == DtlsRole.SERVER && lastHandshakeType == DtlsRecords.HELLO_VERIFY_REQUEST) {
            timer.flightAnswered();
        } else {
            timer.flightSent(clock.getAsLong());
        }
    }

    // ------------------------------------------------------------------ reading

    private void copyIn(ByteBuffer datagram) {
        int n = datagram.remaining();
        if (netIn.capacity() < n) {
            netIn = ByteBuffer.allocate(n);
        }
        netIn.clear();
        netIn.put(datagram);
        netIn.flip();
    }

    /**
     * Feeds the records of {@link #netIn} to the engine one by one.
     *
     * @return whether any record was dropped
     */
    private boolean readRecords() throws SSLException {
        ByteBuffer in = netIn;
        int end = in.limit();
        boolean droppedAny = false;
        while (in.position() < end && io != null) {
            int record = in.position();
            int next = record + DtlsRecords.recordSize(in, record);
            RecordGate.Verdict verdict = gate.check(in, record);
            if (verdict != RecordGate.Verdict.PASS) {
                in.position(next);
                droppedAny = true;
                if (verdict == RecordGate.Verdict.DROP_AND_RESEND && !lastFlight.isEmpty()) {
                    resend(lastFlight.datagrams()); // RFC 6347 section 4.2.4: the peer missed our answer
                }
                continue;
            }
            gate.passing(in, record);
            io.advance(); // pending output first: JSSE will not read while it has something to write
            if (io == null) {
                break;
            }
            if (!readRecord(in, record, next, end)) {
                droppedAny = true;
            }
        }
        return droppedAny;
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
        boolean established = state == DtlsSessionState.ESTABLISHED;
        int emittedBefore = emitted;
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
                peerClosed();
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
            resend(lastFlight.datagrams()); // the peer retransmitted its Finished: ours was lost
        }
        io.advance();
        if (emitted > emittedBefore && gate.answeredNow()) {
            newFlight = true;
        }
        checkCompletion();
        // During the handshake JSSE keeps handshake records for later and says so the same
        // way; after it, nothing but application data and alerts is of use, so a discarded
        // record was stale or failed authentication.
        return !(discarded && (established || type == DtlsRecords.APPLICATION_DATA));
    }

    /**
     * Adds {@link #netIn} to the ClientHello being reassembled; once it is whole, primes the
     * engine with its cookie-less copy and puts the whole ClientHello, as one record, in
     * {@link #netIn} for the engine to read.
     *
     * @return whether {@link #netIn} is now to be read; false while fragments are missing
     */
    private boolean join() throws SSLException {
        if (!joining.add(netIn)) {
            dropped++; // nothing of the ClientHello: the engine could not use it either
            return false;
        }
        if (!joining.isComplete()) {
            return false; // held back: the engine cannot be primed before the message is whole
        }
        ByteBuffer hello = joining.record();
        joining = null;
        nextEpochZeroSequence = DtlsRecords.sequenceNumber(hello, hello.position()) + 1;
        for (ByteBuffer synthetic : ClientHelloRewriter.earlierHellos(hello)) {
            primeWithoutCookie(synthetic);
        }
        copyIn(hello);
        return true;
    }

    /**
     * Phase one of joining a handshake after our own listener's cookie exchange: the
     * engine sees one of the client's earlier, cookie-less ClientHellos and answers with a
     * HelloVerifyRequest that is not sent (see {@link ClientHelloRewriter}).
     */
    private void primeWithoutCookie(ByteBuffer synthetic) throws SSLException {
        suppressOutput = true;
        try {
            io.advance();
            io.unwrap(synthetic.duplicate());
            io.advance();
            gate.primedWith(synthetic);
        } finally {
            suppressOutput = false;
        }
        LOG.log(System.Logger.Level.TRACE, "primed the engine with a cookie-less ClientHello");
    }

    // ------------------------------------------------------------------ writing

    private void emit(ByteBuffer datagram) {
        if (suppressOutput) {
            return;
        }
        renumberEpochZero(datagram);
        if (state == DtlsSessionState.HANDSHAKING && !lastFlight.offer(datagram)) {
            return; // JSSE's own immediate second copy of its final flight
        }
        int start = datagram.position();
        lastHandshakeType = DtlsRecords.plaintextHandshakeType(datagram, start);
        int alert = DtlsRecords.plaintextFatalAlert(datagram, start);
        if (alert >= 0) {
            sentAlert = alert;
        }
        if (datagram.remaining() > config.maxDatagramSize()) {
            LOG.log(System.Logger.Level.WARNING, "JSSE produced a datagram of {0} bytes, above the maximum of {1}",
                    datagram.remaining(), config.maxDatagramSize());
        }
        emitted++;
        listener.onDatagram(datagram);
    }

    /**
     * Gives every epoch-0 record this session sends, a retransmission included, the next
     * record sequence number of its own, so that no two are alike (RFC 6347 section 4.1
     * numbers retransmitted records anew). Epoch-0 records carry no MAC and their sequence
     * numbers are not in the handshake hash, so they may be renumbered; JSSE's own
     * HelloVerifyRequests keep the number they echo. Two failures this prevents:
     * <ul>
     *   <li>A joined server session would number its ServerHello 1, and a client that sent
     *       its first ClientHello twice has seen that number on a HelloVerifyRequest (each
     *       echoes its ClientHello's): an OpenSSL client keeps one replay window for epoch 0
     *       and dropped the ServerHello, every time.</li>
     *   <li>A resent final flight kept its numbers, and an OpenSSL peer that had seen its
     *       ChangeCipherSpec drop the resent one as a replay.</li>
     * </ul>
     */
    private void renumberEpochZero(ByteBuffer datagram) {
        int end = datagram.limit();
        for (int record = datagram.position(); record + DtlsRecords.HEADER_SIZE <= end;
             record += DtlsRecords.recordSize(datagram, record)) {
            if (DtlsRecords.epoch(datagram, record) != 0) {
                continue;
            }
            if (DtlsRecords.plaintextHandshakeType(datagram, record) == DtlsRecords.HELLO_VERIFY_REQUEST) {
                // it keeps the number it echoes; what follows must not fall below it
                nextEpochZeroSequence = Math.max(nextEpochZeroSequence, DtlsRecords.sequenceNumber(datagram, record) + 1);
            } else {
                DtlsRecords.putSequenceNumber(datagram, record, nextEpochZeroSequence++);
            }
        }
    }

    /**
     * Sends kept datagrams again: the same bytes, but epoch-0 records with fresh sequence
     * numbers ({@link #renumberEpochZero}). Epoch-1 records go out as they were: their
     * numbers are under the record MAC.
     */
    private void resend(List<byte[]> datagrams) {
        LOG.log(System.Logger.Level.DEBUG, "{0} resends its last flight ({1} datagrams)", role, datagrams.size());
        for (byte[] d : datagrams) {
            ByteBuffer copy = ByteBuffer.wrap(d.clone());
            renumberEpochZero(copy);
            emitted++;
            listener.onDatagram(copy.asReadOnlyBuffer());
        }
    }

    // ------------------------------------------------------------------ handshake completion

    private void checkCompletion() {
        if (state != DtlsSessionState.HANDSHAKING || io == null) {
            return;
        }
        if (io.finishedSeen() || io.status() == HandshakeStatus.NOT_HANDSHAKING) {
            complete();
        }
    }

    private void complete() {
        SSLSession session = io.engine().getSession();
        boolean resumed;
        if (sessionIds == null) {
            // This JDK would resume without checking the listener's cookie (see
            // JsseProvider): keep JSSE from offering or accepting this session again.
            session.invalidate();
            resumed = false;
        } else {
            resumed = sessionIds.resumed(session.getId());
        }
        DtlsSessionInfo negotiated = SessionInfos.of(io.engine(), role, requestedServerName, resumed);
        maxRecordSize = RecordSizes.maxPlaintext(session.getCipherSuite(), config.maxDatagramSize());
        // A full handshake ends with the server's Finished, an abbreviated one with the
        // client's: the side that finished first needs nothing more, the other keeps its
        // last flight for the peer's retransmissions.
        boolean finishedFirst = (role == DtlsRole.CLIENT) != resumed;
        if (finishedFirst) {
            lastFlight.forget();
        } else {
            lastFlight.keepAfterHandshake(clock.getAsLong(), config.handshakeTimeout().toNanos(),
                    config.initialRetransmitTimeout().toNanos() / 2);
        }
        restorePacketSize = true;
        timer.stop();
        gate.established(negotiated.protocolVersion().wireVersion(), session.getPacketBufferSize());
        info = negotiated;
        state = DtlsSessionState.ESTABLISHED;
        LOG.log(System.Logger.Level.DEBUG, "{0} handshake complete: {1}", role, negotiated);
        listener.onHandshakeComplete(negotiated);
    }

    // ------------------------------------------------------------------ endings

    private void peerClosed() {
        io.flush(); // JSSE answers close_notify with its own (TLS 1.2 duplex close)
        state = DtlsSessionState.CLOSED;
        timer.stop();
        release();
        listener.onClosed();
    }

    /** A protocol failure: send the alert JSSE queued, then report it. */
    private void fail(SSLException e) {
        if (state.isTerminal()) {
            return;
        }
        SSLException stopped = io.flush();
        if (stopped != null) {
            LOG.log(System.Logger.Level.TRACE, "the engine stopped flushing its alert", stopped);
        }
        failWith(JsseFailures.toAlertException(e, sentAlert));
    }

    private void failWith(DtlsException failure) {
        LOG.log(System.Logger.Level.DEBUG, "{0} session failed: {1}", role, failure.getMessage());
        state = DtlsSessionState.FAILED;
        timer.stop();
        release();
        listener.onFailed(failure);
    }

    /** Drops the engine and the buffers; every entry point checks the state before using them. */
    private void release() {
        lastFlight.forget();
        io = null;
        netIn = null;
        joining = null;
    }
}
