package org.dtls4j.openssl;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
import org.dtls4j.spi.PlaintextScreen;
import org.dtls4j.spi.PeerCertificates;
import org.dtls4j.spi.ServerNames;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.ThreadScratch;

/**
 * A {@link DtlsSession} over one OpenSSL {@code SSL} between two memory BIOs: the class
 * that owns the session's state and wires its parts. Each datagram in is checked for DTLS
 * framing ({@link DtlsRecordCursor}) and written whole into the read BIO before one OpenSSL
 * call, so OpenSSL reads it as one datagram; what it leaves behind is discarded. The parts:
 * the native state ({@link SslHandle}), the server's front door and cookie continuation
 * ({@link ServerListen}), the way out, one record per datagram ({@link DatagramOutput}),
 * the record path in ({@link RecordInput}), the handshake clocks ({@link HandshakeTimers}),
 * the failure mapping from the alerts OpenSSL reports ({@link OpenSslFailures}) and the
 * negotiated parameters ({@link OpenSslSessionInfos}).
 *
 * <p>Not thread-safe, as the contract says: one caller at a time. {@link #state()} and
 * {@link #droppedDatagrams()} may be read from any thread. Native buffers are allocated
 * once per session; nothing is allocated per record.
 *
 * <p>Just over the project's 450 lines: the entry points dispatch on the state and bracket
 * their use of the thread's buffers ({@link Scratch}); reading ({@link RecordInput}), output
 * ({@link DatagramOutput}), the server's front door ({@link ServerListen}) and the timers
 * ({@link HandshakeTimers}) are their own classes; the handshake's completion
 * ({@code established}) is the part to move out next.
 */
final class OpenSslSession implements DtlsSession {

    private static final System.Logger LOG = System.getLogger(OpenSslSession.class.getName());
    /** Sessions by SSL pointer, for the callbacks; weak so that an abandoned session can be cleaned. */
    private static final ConcurrentHashMap<Long, WeakReference<OpenSslSession>> BY_SSL = new ConcurrentHashMap<>();
    private static final int MAX_PLAINTEXT = RecordInput.MAX_PLAINTEXT;

    private final OpenSslContext context;
    private final DtlsConfig config;
    private final DtlsRole role;
    private final InetSocketAddress peer;
    private final DtlsSessionListener listener;
    /** The SNI a client sends ("" for none). */
    private final String requestedServerName;
    /** The host name a client checks the server certificate against ("" for none). */
    private final String hostNameToVerify;
    private final SslHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final Pointer ssl;
    private final DtlsRecordCursor framing = new DtlsRecordCursor();
    private final RecordInput input;

    private volatile DtlsSessionState state = DtlsSessionState.NEW;
    private volatile long dropped;
    private volatile DtlsSessionInfo info;
    /**
     * Once established, the shortest protected record the suite allows: OpenSSL 3.0 answers a
     * shorter one with a fatal internal_error alert (TCK RB-4), so it never gets one.
     */
    private int minimumProtected;
    private int maxRecordSize;
    private boolean firstDatagram = true;
    /**
     * Whether the peer's ChangeCipherSpec has come in this handshake: before it, OpenSSL keeps
     * records of epoch 1 for later and a forged one then fails the handshake (SSL_ERROR_SYSCALL,
     * HI-7), so they are dropped ({@link PlaintextScreen#epochsDuringHandshake}).
     */
    private boolean peerChangedCipher;
    /** A server's front door: DTLSv1_listen and the listener's cookie. */
    private final ServerListen front;
    /** The handshake's deadline and OpenSSL's retransmission deadline. */
    private final HandshakeTimers timers;
    /** Every datagram out: one record each, the last flight kept. */
    private final DatagramOutput output;
    /** The alerts OpenSSL reported and why a certificate was refused: the failure mapping. */
    private final OpenSslFailures failures = new OpenSslFailures();

    private OpenSslSession(OpenSslContext context, DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener,
                           SslHandle handle) {
        this.context = context;
        this.config = context.config();
        this.role = role;
        this.peer = peer;
        this.listener = listener;
        this.handle = handle;
        this.ssl = handle.ssl;
        this.requestedServerName = role == DtlsRole.CLIENT ? config.serverName().or(() -> ServerNames.forPeer(peer)).orElse("") : "";
        this.hostNameToVerify = role == DtlsRole.CLIENT ? config.serverName().orElse("") : "";
        this.output = new DatagramOutput(handle, listener);
        this.input = new RecordInput(handle, output, listener, new RecordInput.Session() {
            @Override
            public boolean established() {
                return state == DtlsSessionState.ESTABLISHED;
            }

            @Override
            public void peerClosed() {
                state = DtlsSessionState.CLOSED;
                release();
                listener.onClosed();
            }

            @Override
            public void failed(int sslError, String errors) {
                fail(failure(sslError, errors));
            }
        });
        this.timers = new HandshakeTimers(config, handle);
        this.front = new ServerListen(config, peer);
        this.maxRecordSize = Math.min(MAX_PLAINTEXT, context.maxRecordSizeBeforeHandshake());
        BY_SSL.put(Pointer.nativeValue(ssl), new WeakReference<>(this));
        this.cleanable = OpenSslContext.CLEANER.register(this, handle);
    }

    static OpenSslSession create(OpenSslContext context, DtlsRole role, InetSocketAddress peer,
                                 DtlsSessionListener listener) {
        SslHandle handle = SslHandle.open(context.ctx(), role);
        OpenSslSession session = new OpenSslSession(context, role, peer, listener, handle);
        try {
            handle.configure(context, session.config, role, session.requestedServerName, peer);
        } catch (RuntimeException e) {
            session.release();
            throw e;
        }
        return session;
    }

    /** When an {@code SSL} is freed: its session is no longer found by the callbacks. */
    static void forget(Pointer ssl) {
        BY_SSL.remove(Pointer.nativeValue(ssl));
    }

    /** The session an {@code SSL} belongs to, or null; for the callbacks. */
    static OpenSslSession forSsl(Pointer ssl) {
        WeakReference<OpenSslSession> ref = ssl == null ? null : BY_SSL.get(Pointer.nativeValue(ssl));
        return ref == null ? null : ref.get();
    }

    // --- what the callbacks ask ---

    /** {@return the context's shared ticket keys, or null when it issues no tickets} */
    org.dtls4j.spi.TicketKeys ticketKeys() {
        return context.ticketKeys();
    }

    DtlsConfig config() {
        return config;
    }

    InetSocketAddress peer() {
        return peer;
    }

    String hostNameToVerify() {
        return hostNameToVerify;
    }

    byte[][] applicationProtocols() {
        return context.applicationProtocols();
    }

    void refused(PeerCertificates.RefusedException e) {
        failures.refused(e);
    }

    void alert(boolean sent, int level, int description) {
        failures.alert(sent, level, description);
    }

    long nextTimerMicros(long previous) {
        return timers.nextTimerMicros(previous);
    }

    boolean acceptsCookie(byte[] cookie) {
        return front.acceptsCookie(cookie);
    }

    // --- DtlsSession ---

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
        if (role == DtlsRole.CLIENT) {
            timers.startHandshake();
            handshake();
            updateTimer();
        }
    }

    @Override
    public void receive(ByteBuffer datagram) {
        DtlsSessionState s = state;
        int n = datagram.remaining();
        int records = s == DtlsSessionState.NEW || s.isTerminal() || n > SslHandle.BUFFER ? 0 : framing.reset(datagram)
                .count(DtlsRecords.APPLICATION_DATA, 1, minimumProtected); // never renegotiates: epochs 0 and 1 only
        int epochs = s == DtlsSessionState.HANDSHAKING
                ? PlaintextScreen.epochsDuringHandshake(datagram, peerChangedCipher) : PlaintextScreen.SAME_EPOCH;
        if (records == 0 || epochs == PlaintextScreen.TOO_EARLY || !PlaintextScreen.passes(datagram)) {
            datagram.position(datagram.limit());
            dropped++;
            return;
        }
        peerChangedCipher |= epochs == PlaintextScreen.CHANGES_CIPHER;
        if (firstDatagram) {
            firstDatagram = false;
            if (role == DtlsRole.SERVER) {
                timers.startHandshake();
                front.firstDatagram(datagram);
            }
        }
        boolean protectedHandshake = DtlsRecords.contentType(datagram, datagram.position()) == DtlsRecords.HANDSHAKE
                && DtlsRecords.epoch(datagram, datagram.position()) == 1;
        ThreadScratch.Lease<Scratch> lease = Scratch.THREADS.enter(handle);
        Scratch scratch = lease.buffers();
        try {
            scratch.inView.clear();
            scratch.inView.put(datagram);
            LibSsl.BIO_write(handle.rbio, scratch.in, n); // a memory BIO write cannot fail short of memory
        } finally {
            lease.exit();
        }
        int emittedBefore = output.emitted();
        int deliveredBefore = input.delivered();
        try {
            if (s == DtlsSessionState.HANDSHAKING) {
                if (role == DtlsRole.SERVER && !front.listened() && !front.listen(handle, output)) {
                    dropped++; // not a ClientHello, or a cookie that does not verify: stateless, never fatal
                }
                if (state == DtlsSessionState.HANDSHAKING && (role == DtlsRole.CLIENT || front.listened())) {
                    handshake();
                    if (protectedHandshake && state == DtlsSessionState.HANDSHAKING && output.emitted() == emittedBefore) {
                        undecryptableFinished();
                    }
                }
            } else {
                input.read(records);
                if (input.delivered() != deliveredBefore) {
                    output.forgetLastFlight(); // the peer has our last flight
                }
                if (state == s && output.emitted() == emittedBefore && input.delivered() == deliveredBefore) {
                    if (protectedHandshake && output.hasLastFlight()) {
                        output.resendLastFlight(); // the peer's Finished again: our last flight was lost
                    } else {
                        dropped++; // unauthenticated, replayed or stale: OpenSSL discarded it silently
                    }
                }
            }
        } finally {
            if (state == DtlsSessionState.HANDSHAKING) {
                // one datagram per call: drop what DTLSv1_listen or the handshake left unread
                LibSsl.BIO_ctrl(handle.rbio, LibSsl.BIO_CTRL_RESET, 0, null);
                updateTimer();
            } else if (state == DtlsSessionState.ESTABLISHED && LibSsl.BIO_ctrl_pending(handle.rbio) > 0) {
                LibSsl.BIO_ctrl(handle.rbio, LibSsl.BIO_CTRL_RESET, 0, null);
            }
        }
    }

    private void handshake() {
        OpenSslErrors.clear();
        int r = LibSsl.SSL_do_handshake(ssl);
        if (r == 1) {
            OpenSslErrors.clear();
            output.drainKeepingFlight();
            established();
            return;
        }
        int e = LibSsl.SSL_get_error(ssl, r);
        String errors = OpenSslErrors.drain();
        output.drain();
        if (e == LibSsl.SSL_ERROR_WANT_READ || e == LibSsl.SSL_ERROR_WANT_WRITE) {
            return;
        }
        fail(failure(e, errors));
    }

    /** A protected handshake datagram moved nothing: perhaps the keys differ ({@link OpenSslFailures#keysDiffer}). */
    private void undecryptableFinished() {
        ByteBuffer alert = failures.keysDiffer(ssl, output.epoch0Sequence());
        if (alert != null) {
            output.emit(alert);
            fail(failures.keysDifferFailure());
        }
    }

    private void established() {
        info = OpenSslSessionInfos.of(ssl, role, requestedServerName);
        minimumProtected = DtlsRecords.minimumProtectedLength(info.cipherSuite());
        long dataMtu = LibSsl.DTLS_get_data_mtu(ssl);
        if (dataMtu > 0) {
            maxRecordSize = (int) Math.min(MAX_PLAINTEXT, dataMtu);
        }
        if (role == DtlsRole.CLIENT) {
            Pointer session = LibSsl.SSL_get1_session(ssl);
            if (session != null) {
                context.remember(peer, session);
            }
        }
        state = DtlsSessionState.ESTABLISHED;
        timers.stop();
        listener.onHandshakeComplete(info);
        input.read(Integer.MAX_VALUE); // records that came in the same datagram as the last flight
    }

    @Override
    public void send(ByteBuffer record) {
        int n = record.remaining();
        SessionPreconditions.requireSendable(state, n, maxRecordSize);
        if (n == 0) {
            return; // OpenSSL does not protect empty application records
        }
        ThreadScratch.Lease<Scratch> lease = Scratch.THREADS.enter(handle);
        Scratch scratch = lease.buffers();
        int r;
        try {
            scratch.sendView.clear();
            scratch.sendView.put(record);
            OpenSslErrors.clear();
            r = LibSsl.SSL_write(ssl, scratch.send, n);
        } finally {
            lease.exit();
        }
        if (r == n) {
            output.drain();
            return;
        }
        int e = LibSsl.SSL_get_error(ssl, r);
        String errors = OpenSslErrors.drain();
        output.drain();
        DtlsException failure = failure(e, errors);
        fail(failure);
        throw new DtlsClosedException("the session failed while sending: " + failure.getMessage());
    }

    @Override
    public int maxRecordSize() {
        return maxRecordSize;
    }

    @Override
    public long nextTimeout() {
        return state == DtlsSessionState.HANDSHAKING ? timers.next() : NO_TIMEOUT;
    }

    @Override
    public void handleTimeout() {
        if (state != DtlsSessionState.HANDSHAKING) {
            return;
        }
        long now = System.nanoTime();
        if (timers.handshakeExpired(now)) {
            fail(new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
            return;
        }
        if (!timers.flightDue(now)) {
            return;
        }
        OpenSslErrors.clear();
        long r = LibSsl.SSL_ctrl(ssl, LibSsl.DTLS_CTRL_HANDLE_TIMEOUT, 0, null);
        String errors = OpenSslErrors.drain();
        output.drain();
        if (r < 0) {
            // OpenSSL gives up after 12 retransmissions of one flight
            fail(failures.alertSent() ? failure(LibSsl.SSL_ERROR_SSL, errors)
                    : new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
            return;
        }
        timers.flightHandled();
        updateTimer();
    }

    /** Reads OpenSSL's retransmission deadline after a call. */
    private void updateTimer() {
        timers.readFlightDeadline(state == DtlsSessionState.HANDSHAKING);
    }

    @Override
    public Optional<DtlsSessionInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public byte[] exportKeyingMaterial(String label, int length) {
        SessionPreconditions.requireExportable(state, label, length);
        return export(label, null, length);
    }

    @Override
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        SessionPreconditions.requireExportable(state, label, context, length);
        return export(label, context.clone(), length);
    }

    private byte[] export(String label, byte[] exportContext, int length) {
        byte[] out = new byte[length];
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        OpenSslErrors.clear();
        int r = LibSsl.SSL_export_keying_material(ssl, out, length, label, labelBytes.length,
                exportContext == null ? new byte[1] : exportContext,
                exportContext == null ? 0 : exportContext.length, exportContext == null ? 0 : 1);
        if (r != 1) {
            throw new DtlsException("SSL_export_keying_material failed: " + OpenSslErrors.drain());
        }
        return out;
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
            if (s == DtlsSessionState.ESTABLISHED) {
                OpenSslErrors.clear();
                LibSsl.SSL_shutdown(ssl);
                OpenSslErrors.clear();
                output.drain();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close_notify could not be sent", e);
        } finally {
            state = DtlsSessionState.CLOSED;
            timers.stop();
            release();
        }
    }

    private void release() {
        output.forgetLastFlight();
        cleanable.clean();
    }

    private DtlsException failure(int sslError, String errors) {
        return failures.failure(sslError, errors);
    }

    private void fail(DtlsException failure) {
        if (state.isTerminal()) {
            return;
        }
        state = DtlsSessionState.FAILED;
        timers.stop();
        release();
        listener.onFailed(failure);
    }

    @Override
    public String toString() {
        return "OpenSslSession[" + role + " " + peer + " " + state + "]";
    }
}
