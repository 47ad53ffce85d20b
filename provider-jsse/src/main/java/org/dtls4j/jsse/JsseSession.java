package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsHandshakeTimeoutException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.PlaintextScreen;
import org.dtls4j.spi.RetransmissionTimer;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.ThreadScratch;

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
 *       session keeps itself ({@link LastFlight}), sent through {@link FlightOutput};</li>
 *   <li>the failure report: the alert and who sent it ({@link JsseFailures});</li>
 *   <li>joining a handshake after a stateless cookie exchange ({@link ClientHelloRewriter}),
 *       also when the client fragmented its ClientHello ({@link ClientHelloReassembly}).</li>
 * </ul>
 *
 * <p>This class is the {@link DtlsSession} that wires the parts and owns the state; the
 * parts are the record path in ({@link RecordReader}), the way out ({@link FlightOutput}),
 * the server's continuation after the listener's cookie exchange ({@link ServerJoin}),
 * session info ({@link SessionInfos}) and failure mapping ({@link JsseFailures}).
 *
 * <p>Not thread-safe, as the contract says: one caller at a time. {@link #state()} may be
 * read from any thread. Buffers are allocated once and reused for every datagram.
 *
 * <p>Over the project's 450 lines: every entry point brackets its engine work the same way
 * (the thread's buffers, {@link JsseScratch}; the call's flight bookkeeping) around the
 * state dispatch, and the pieces that stand alone are their own classes ({@link EngineDriver},
 * {@link RecordReader}, {@link ServerJoin}, {@link FlightOutput}); the ClientHello join
 * ({@link #join}) is the part to move out next.
 */
final class JsseSession implements DtlsSession {

    /** The handshake type of a HelloRequest (RFC 5246 section 7.4). */
    private static final int HELLO_REQUEST = 0;

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
    private final FlightOutput output;
    private final ServerJoin join = new ServerJoin();
    private final RecordReader reader;
    /** The context's session IDs, to tell a resumption; null where sessions are invalidated instead. */
    private final SessionIds sessionIds;
    /**
     * A server's: the session ID the client's first ClientHello offers. JSSE echoes it when it
     * resumes from a ticket, and a client with a ticket may have made it up (OpenSSL sends a
     * hash of the ticket), so {@link #sessionIds} alone would miss that resumption.
     */
    private byte[] offeredSessionId = new byte[0];

    /** The engine; null once the session has ended. */
    private EngineDriver io;
    /**
     * The thread's buffers during a call ({@link JsseScratch}), null between calls; its
     * {@code netIn} holds a copy of the datagram being read: JSSE decrypts in place, and the
     * caller's buffer may be read-only.
     */
    private JsseScratch scratch;

    private volatile DtlsSessionState state = DtlsSessionState.NEW;
    private volatile long dropped;
    private volatile DtlsSessionInfo info;
    private int maxRecordSize;
    /** The record version of the first datagram received (a server's), for alerts of this session's own. */
    private int recordVersion = 0xfefd;

    /** Whether no datagram has been accepted yet (a server's cue to start its clock). */
    private boolean awaitingFirstDatagram = true;
    /** Whether the current call sent a new flight (not a resend of the last one). */
    private boolean newFlight;
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
        this.io = new EngineDriver(engine, this::emit);
        this.parameters = parameters;
        this.requestedServerName = requestedServerName;
        this.maxRecordSize = maxRecordSizeBeforeHandshake;
        this.listener = listener;
        this.output = new FlightOutput(role, listener, lastFlight, config.maxDatagramSize());
        this.clock = clock;
        this.timer = new RetransmissionTimer(config);
        this.gate = new RecordGate(role, engine.getSession().getPacketBufferSize());
        this.reader = new RecordReader(gate, lastFlight, output, listener, clock, new RecordReader.Session() {
            @Override
            public EngineDriver io() {
                return io;
            }

            @Override
            public boolean established() {
                return state == DtlsSessionState.ESTABLISHED;
            }

            @Override
            public void newFlight() {
                newFlight = true;
            }

            @Override
            public void checkCompletion() {
                JsseSession.this.checkCompletion();
            }

            @Override
            public void peerClosed() {
                JsseSession.this.peerClosed();
            }
        });
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
        ThreadScratch.Lease<JsseScratch> lease = lease();
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
        } catch (RuntimeException e) {
            engineThrew(e);
        } finally {
            endCall();
            unlease(lease);
        }
    }

    @Override
    public void receive(ByteBuffer datagram) {
        DtlsSessionState s = state;
        if (s == DtlsSessionState.NEW || s.isTerminal() || !reader.wellFormed(datagram)
                || !PlaintextScreen.passes(datagram)) {
            datagram.position(datagram.limit());
            dropped++;
            return;
        }
        if (role == DtlsRole.SERVER && s == DtlsSessionState.HANDSHAKING
                && DtlsRecords.plaintextHandshakeType(datagram, datagram.position()) == HELLO_REQUEST) {
            // RFC 5246 section 7.4.1.1: only a server sends a HelloRequest. The JDK's server
            // engine ignores one (TCK PI-2), or, with an alert after it, throws.
            datagram.position(datagram.limit());
            output.emitFatalAlert(DtlsAlert.UNEXPECTED_MESSAGE.code(), recordVersion);
            failWith(new DtlsAlertException(DtlsAlert.UNEXPECTED_MESSAGE, DtlsAlertException.Origin.LOCAL,
                    "the client sent a HelloRequest, which only a server sends"));
            return;
        }
        ThreadScratch.Lease<JsseScratch> lease = lease();
        copyIn(datagram);
        startCall();
        try {
            if (awaitingFirstDatagram) {
                awaitingFirstDatagram = false;
                recordVersion = DtlsRecords.version(scratch.netIn, scratch.netIn.position());
                timer.startHandshake(clock.getAsLong());
                if (role == DtlsRole.SERVER) {
                    ClientHellos hello = new ClientHellos();
                    if (hello.read(scratch.netIn) == ClientHellos.Verdict.CLIENT_HELLO) {
                        offeredSessionId = hello.sessionId(scratch.netIn);
                    }
                    join.start(scratch.netIn);
                }
            }
            if (join.active() && !join()) {
                return;
            }
            if (reader.readRecords(scratch.netIn)) {
                dropped++;
            }
            if (io != null) {
                io.advance();
            }
        } catch (SSLException e) {
            fail(e);
        } catch (RuntimeException e) {
            engineThrew(e);
        } finally {
            endCall();
            unlease(lease);
        }
    }

    @Override
    public void send(ByteBuffer record) {
        int size = record.remaining();
        SessionPreconditions.requireSendable(state, size, maxRecordSize);
        ThreadScratch.Lease<JsseScratch> lease = lease();
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
        } finally {
            unlease(lease);
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
                output.resendLastFlight();
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
        ThreadScratch.Lease<JsseScratch> lease = lease();
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
            unlease(lease);
        }
    }

    @Override
    public String toString() {
        return "JsseSession[" + role + ", " + state + "]";
    }

    // ------------------------------------------------------------------ calls

    /**
     * The calling thread's buffers for the call that starts, for this session and its engine
     * (a call of this session inside one of its own or another session's callbacks gets the
     * same buffers); {@link #unlease} gives them back when the outermost call ends.
     */
    private ThreadScratch.Lease<JsseScratch> lease() {
        ThreadScratch.Lease<JsseScratch> lease = JsseScratch.THREADS.enter(this);
        scratch = lease.buffers();
        if (io != null) {
            io.use(scratch);
        }
        return lease;
    }

    private void unlease(ThreadScratch.Lease<JsseScratch> lease) {
        if (lease.exit()) {
            scratch = null;
            if (io != null) {
                io.use(null);
            }
        }
    }

    private void startCall() {
        output.startCall();
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
        if (role == DtlsRole.SERVER && output.lastHandshakeType() == DtlsRecords.HELLO_VERIFY_REQUEST) {
            timer.flightAnswered();
        } else {
            timer.flightSent(clock.getAsLong());
        }
    }

    // ------------------------------------------------------------------ reading

    private void copyIn(ByteBuffer datagram) {
        int n = datagram.remaining();
        if (scratch.netIn.capacity() < n) {
            scratch.netIn = ByteBuffer.allocate(n);
        }
        scratch.netIn.clear().put(datagram).flip();
    }

    /**
     * Adds the datagram being read to the ClientHello a server joins with ({@link ServerJoin});
     * once it is whole, the engine is primed and the scratch's {@code netIn} holds it, as one
     * record, to read.
     *
     * @return whether {@code netIn} is now to be read; false while fragments are missing
     */
    private boolean join() throws SSLException {
        ServerJoin.Step step = join.add(scratch.netIn);
        if (step == ServerJoin.Step.DROP) {
            dropped++;
        }
        if (step != ServerJoin.Step.READY) {
            return false;
        }
        copyIn(join.primeEngine(io, output, gate));
        return true;
    }

    // ------------------------------------------------------------------ writing

    private void emit(ByteBuffer datagram) {
        output.emit(datagram, state == DtlsSessionState.HANDSHAKING);
    }

    // ------------------------------------------------------------------ handshake completion

    private void checkCompletion() {
        if (state != DtlsSessionState.HANDSHAKING || io == null) {
            return;
        }
        if (io.finishedSeen() || io.status() == HandshakeStatus.NOT_HANDSHAKING) {
            if ("NONE".equals(io.engine().getSession().getProtocol())) {
                // The engine gave up without a word (a server fed a HelloVerifyRequest, or a
                // ClientHello whose signature_algorithms its key cannot sign with): no session
                // to report, and the peer is owed the alert the engine did not send.
                if (output.sentAlert() < 0) {
                    output.emitFatalAlert(DtlsAlert.HANDSHAKE_FAILURE.code(), recordVersion);
                }
                fail(new SSLHandshakeException("the JDK's engine ended the handshake without negotiating a session"));
                return;
            }
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
            byte[] id = session.getId();
            // RFC 5246 section 7.4.1.3: a server that echoes the offered ID resumes; a server that
            // resumed from a ticket offered with no ID (RFC 5077 section 3.4, wolfSSL's clients)
            // gets a new ID from JSSE, and is told by the Certificate it did not send
            resumed = sessionIds.resumed(id) | (offeredSessionId.length > 0 && java.util.Arrays.equals(offeredSessionId, id))
                    | (role == DtlsRole.SERVER && !output.sentCertificate());
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
        failWith(JsseFailures.toAlertException(e, output.sentAlert(), reader.receivedFatalAlert()));
    }

    /**
     * The JDK's engine threw something other than an {@link SSLException} on hostile input (a
     * server's engine fed a HelloRequest and then an alert throws {@code ClassCastException}):
     * it cannot be trusted further, so the session fails with internal_error, which a
     * handshaking session also sends in plaintext.
     */
    private void engineThrew(RuntimeException e) {
        if (state.isTerminal()) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "the JDK's engine threw", e);
        if (state == DtlsSessionState.HANDSHAKING) {
            output.emitFatalAlert(DtlsAlert.INTERNAL_ERROR.code(), recordVersion);
        }
        failWith(new DtlsAlertException(DtlsAlert.INTERNAL_ERROR, DtlsAlertException.Origin.LOCAL,
                "the JDK's engine failed on its input: " + e, e));
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
        join.forget();
    }
}
