package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsContext;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.PlaintextScreen;
import org.dtls4j.spi.ServerNames;
import org.dtls4j.spi.SessionPreconditions;

/**
 * One DTLS association over BouncyCastle, as a sans-IO {@link DtlsSession}.
 *
 * <p>The handshake runs BouncyCastle's blocking {@code connect}/{@code accept} on a thread
 * of the context's {@link HandshakeExecutor}; {@link #receive} only queues datagrams for it
 * (through {@link QueueTransport}) and BouncyCastle keeps the retransmission and handshake
 * timers. Once the handshake is done the session holds no thread: {@link #receive} hands
 * the datagram to {@code DTLSTransport.receive} on the caller's thread and {@link #send}
 * calls {@code DTLSTransport.send} directly.
 *
 * <p>This class owns the state and wires the parts: the server's front door and cookie
 * continuation ({@link ServerFrontDoor}), the handshake run ({@link HandshakeRun}), the
 * record path after it ({@link ReceivedRecords}, {@link HeartbeatClock}), the failure
 * mapping ({@link BcFailures}), the exporter ({@link BcExporter}) and session info
 * ({@link BcSessionInfos}); at about 450 lines it is the wiring that is left.
 *
 * <p>Listener callbacks, from the caller's thread or the handshake thread, all run under
 * one lock, so they are never concurrent and come in order. Not thread-safe otherwise (the
 * driver calls a session from one thread at a time).
 */
final class BcSession implements DtlsSession, PeerEvents {

    /** Overhead of the most expensive suite BouncyCastle offers here: AES-GCM's explicit nonce and tag. */
    private static final int WORST_SUITE_OVERHEAD = 8 + 16;
    /**
     * The smallest receive limit: datagrams up to this size are read even when this side's
     * maxDatagramSize is smaller (BouncyCastle allocates a buffer of the limit per read, so
     * it is not simply the largest UDP payload).
     */
    private static final int RECEIVE_LIMIT_FLOOR = 2048;
    /** What the framing cursor holds between datagrams: nothing of the caller's. */
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final BcContext owner;
    private final DtlsConfig config;
    private final DtlsRole role;
    private final InetSocketAddress peer;
    private final DtlsSessionListener listener;
    private final QueueTransport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private final byte[] localConnectionId;
    private final DtlsRecordCursor framing;
    private final String requestedServerName;
    private final BcServer server;
    private final BcClient client;
    /** A server's front door: the first ClientHello, before the handshake thread runs; null for a client. */
    private final ServerFrontDoor frontDoor;

    private volatile DtlsSessionState state = DtlsSessionState.NEW;
    private volatile TlsContext tlsContext;
    private volatile DtlsSessionInfo info;
    /**
     * Once established, the shortest protected record the suite allows: bctls answers a shorter
     * one with a fatal decode_error alert (TCK RB-4), so it never gets one.
     */
    private volatile int minimumProtected;
    private volatile DTLSTransport dtls;
    private final BcExporter exporter = new BcExporter();
    private final HandshakeRun run;

    /** The alerts BouncyCastle reports while it runs; read when it throws. */
    private final BcFailures alerts = new BcFailures();

    /** The record path after the handshake, guarded by lock. */
    private final ReceivedRecords records;
    private final RepeatedChangeCipherSpec changeCipherSpecs = new RepeatedChangeCipherSpec();
    private final HeartbeatClock heartbeat;

    private BcSession(BcContext owner, DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener,
                      byte[] localConnectionId) {
        this.owner = owner;
        this.config = owner.config();
        this.role = role;
        this.peer = peer;
        this.listener = listener;
        this.localConnectionId = localConnectionId;
        this.heartbeat = new HeartbeatClock(config);
        this.run = new HandshakeRun(owner.executor(), () -> state == DtlsSessionState.HANDSHAKING, this::established,
                this::handshakeFailed, closedContext -> fail(new DtlsAlertException(DtlsAlert.INTERNAL_ERROR,
                        DtlsAlertException.Origin.LOCAL, "the context was closed before the handshake could start",
                        closedContext)));
        this.records = new ReceivedRecords(listener, dropped, alerts, e -> fail(failure(e)), this::peerClosedNow);
        this.framing = new DtlsRecordCursor(localConnectionId == null ? 0 : localConnectionId.length, false);
        int mtu = config.maxDatagramSize();
        this.transport = new QueueTransport(QueueTransport.DEFAULT_CAPACITY, mtu,
                Math.max(mtu, RECEIVE_LIMIT_FLOOR), new FlightTimer(config.initialRetransmitTimeout().toNanos(),
                        config.maxRetransmitTimeout().toNanos()), new QueueTransport.Sink() {
                    @Override
                    public void send(byte[] buf, int off, int len) {
                        emit(buf, off, len);
                    }

                    @Override
                    public void taken() {
                        records.nextDatagram();
                    }
                });
        if (role == DtlsRole.CLIENT) {
            this.requestedServerName = config.serverName().or(() -> ServerNames.forPeer(peer)).orElse("");
            this.client = new BcClient(owner, peer, requestedServerName, localConnectionId, this);
            this.server = null;
            this.frontDoor = null;
        } else {
            this.requestedServerName = "";
            this.client = null;
            this.server = new BcServer(owner, localConnectionId, this);
            this.frontDoor = new ServerFrontDoor(owner, peer, transport, this::emit, dropped::incrementAndGet,
                    this::acceptFrom);
        }
    }

    static BcSession client(BcContext owner, InetSocketAddress peer, DtlsSessionListener listener) {
        return new BcSession(owner, DtlsRole.CLIENT, peer, listener, owner.newConnectionId());
    }

    /** A server session that asks its client for {@code localConnectionId} (null: for none). */
    static BcSession server(BcContext owner, InetSocketAddress peer, DtlsSessionListener listener, byte[] localConnectionId) {
        return new BcSession(owner, DtlsRole.SERVER, peer, listener, localConnectionId);
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
        lock.lock();
        try {
            SessionPreconditions.requireBeginnable(state);
            state = DtlsSessionState.HANDSHAKING;
            if (role == DtlsRole.SERVER) {
                return;
            }
            boolean threadFree = owner.executor().hasIdleCapacity();
            run.start(() -> new DTLSClientProtocol().connect(client, transport));
            if (!threadFree) {
                return; // the handshake waits for a thread; its ClientHello comes from there
            }
        } finally {
            lock.unlock();
        }
        // The contract says a client emits its first flight in beginHandshake: when a thread
        // is free that takes a moment, so wait for it (the lock is free for its callback).
        run.awaitFirstFlight();
    }

    @Override
    public void receive(ByteBuffer datagram) {
        lock.lock();
        try {
            if ((state != DtlsSessionState.HANDSHAKING && state != DtlsSessionState.ESTABLISHED) || !wellFormed(datagram)
                    || !PlaintextScreen.passes(datagram)) {
                datagram.position(datagram.limit());
                dropped.incrementAndGet();
                return;
            }
            byte[] d = new byte[datagram.remaining()];
            datagram.get(d);
            if (state == DtlsSessionState.HANDSHAKING) {
                receiveDuringHandshake(d);
            } else if (transport.timer().repeatsPeerFlight(d)) {
                dropped.incrementAndGet(); // a replay to BouncyCastle: answer it here
                resendLastFlight();
            } else if (transport.offer(d)) {
                drain();
            } else {
                dropped.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the datagram is a sequence of whole DTLS records with known content types and
     * a DTLS version; connection-ID records carry this side's connection ID. Framed before
     * it is copied; the cursor lets go of it afterwards.
     */
    private boolean wellFormed(ByteBuffer d) {
        boolean whole = framing.reset(d).count(DtlsRecords.TLS12_CID, 0xffff, minimumProtected) > 0;
        framing.reset(NOTHING);
        return whole;
    }

    /** Resends this side's final flight unchanged, at most once per initial retransmission interval. */
    private void resendLastFlight() {
        for (byte[] d : transport.timer().lastFlightToResend(System.nanoTime())) {
            listener.onDatagram(ByteBuffer.wrap(d).asReadOnlyBuffer());
        }
    }

    private void receiveDuringHandshake(byte[] d) {
        d = changeCipherSpecs.fresh(d);
        if (role == DtlsRole.SERVER && !run.started()) {
            frontDoor.firstClientHello(d);
        } else if (!transport.offer(d)) {
            dropped.incrementAndGet();
        }
    }

    private void acceptFrom(DTLSRequest request) {
        run.start(() -> new DTLSServerProtocol().accept(server, transport, request));
    }

    /** On the handshake thread: BouncyCastle's handshake is done. */
    private void established(DTLSTransport established) {
        lock.lock();
        try {
            if (state != DtlsSessionState.HANDSHAKING) {
                return; // closed meanwhile; the transport is closed too
            }
            dtls = established;
            records.start(established.getReceiveLimit());
            transport.nonBlocking();
            info = BcSessionInfos.of(tlsContext, config, role, requestedServerName, client, server);
            minimumProtected = DtlsRecords.minimumProtectedLength(info.cipherSuite());
            state = DtlsSessionState.ESTABLISHED;
            listener.onHandshakeComplete(info);
            drain(); // whatever arrived after the last handshake message
            if (config.heartbeat()) {
                listener.onTimeoutChanged(); // the heartbeat timer is armed from this thread
            }
        } catch (IOException e) {
            fail(failure(e));
        } finally {
            lock.unlock();
        }
    }

    private void handshakeFailed(Throwable e) {
        lock.lock();
        try {
            if (!state.isTerminal()) {
                fail(failure(e));
            }
        } finally {
            lock.unlock();
        }
    }

    /** What BouncyCastle threw, in dtls4j's terms. */
    private DtlsException failure(Throwable e) {
        return alerts.failure(e, state, config);
    }

    /** Under the lock: the session has failed; report it once. */
    private void fail(DtlsException failure) {
        if (state.isTerminal()) {
            return;
        }
        state = DtlsSessionState.FAILED;
        transport.close();
        exporter.destroy();
        listener.onFailed(failure);
    }

    /** Under the lock, after the handshake: lets BouncyCastle read every queued datagram. */
    private void drain() {
        heartbeat.read();
        records.drain(dtls);
    }

    private void peerClosedNow() {
        if (state.isTerminal()) {
            return;
        }
        state = DtlsSessionState.CLOSED;
        transport.close();
        exporter.destroy();
        listener.onClosed();
    }

    @Override
    public void send(ByteBuffer record) {
        lock.lock();
        try {
            int length = record.remaining();
            SessionPreconditions.requireSendable(state, length, maxRecordSize());
            byte[] b;
            int off;
            if (record.hasArray()) {
                b = record.array();
                off = record.arrayOffset() + record.position();
            } else {
                b = new byte[length];
                record.duplicate().get(b);
                off = 0;
            }
            try {
                dtls.send(b, off, length);
            } catch (IOException | RuntimeException e) {
                fail(failure(e));
                throw new DtlsClosedException("the session failed while sending: " + e.getMessage());
            }
            record.position(record.limit());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int maxRecordSize() {
        DTLSTransport t = dtls;
        if (t != null) {
            try {
                return t.getSendLimit();
            } catch (IOException e) {
                // fall through to the estimate
            }
        }
        int cid = config.connectionIdLength().orElse(0);
        return config.maxDatagramSize() - DtlsRecords.HEADER_SIZE - cid - WORST_SUITE_OVERHEAD;
    }

    /**
     * {@link #NO_TIMEOUT} during the handshake: BouncyCastle keeps its own retransmission
     * and handshake timers on the handshake thread. After it, with heartbeats on, the next
     * time BouncyCastle's heartbeat timers must be looked at (they only run inside
     * {@code DTLSTransport.receive}).
     */
    @Override
    public long nextTimeout() {
        return state == DtlsSessionState.ESTABLISHED ? heartbeat.next() : NO_TIMEOUT;
    }

    @Override
    public void handleTimeout() {
        if (state != DtlsSessionState.ESTABLISHED || !heartbeat.due()) {
            return;
        }
        lock.lock();
        try {
            if (state == DtlsSessionState.ESTABLISHED) {
                drain(); // nothing queued: BouncyCastle sends, resends or gives up on a heartbeat
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<DtlsSessionInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public byte[] exportKeyingMaterial(String label, int length) {
        SessionPreconditions.requireExportable(state, label, length);
        return exporter.export(tlsContext, label, null, length);
    }

    @Override
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        SessionPreconditions.requireExportable(state, label, context, length);
        return exporter.export(tlsContext, label, context.clone(), length);
    }

    @Override
    public long droppedDatagrams() {
        return dropped.get() + transport.overflows();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            DtlsSessionState s = state;
            if (s.isTerminal()) {
                return;
            }
            state = DtlsSessionState.CLOSED;
            if (s == DtlsSessionState.ESTABLISHED) {
                try {
                    dtls.close(); // close_notify
                } catch (IOException | RuntimeException ignored) {
                    // closing anyway
                }
            }
            transport.close(); // a waiting handshake thread wakes up and ends
            exporter.destroy();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock (or on the handshake thread, which takes it): one datagram to the peer. */
    private void emit(byte[] buf, int off, int len) {
        lock.lock();
        try {
            listener.onDatagram(ByteBuffer.wrap(buf, off, len).asReadOnlyBuffer());
        } finally {
            lock.unlock();
            run.flightSent();
        }
    }

    // --- PeerEvents: on the handshake thread or the caller's ---

    @Override
    public void tlsContext(TlsContext context) {
        this.tlsContext = context;
    }

    @Override
    public void handshakeComplete(TlsContext context) {
        exporter.keep(context);
    }

    @Override
    public void alertRaised(short level, short description, String message, Throwable cause) {
        alerts.raised(level, description, message, cause);
    }

    @Override
    public void alertReceived(short level, short description) {
        alerts.received(level, description);
    }

    @Override
    public String toString() {
        return "BcSession[" + role + " " + peer + " " + state + "]";
    }
}
