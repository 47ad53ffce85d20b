package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
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
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.PlaintextScreen;
import org.dtls4j.spi.PeerCertificates;
import org.dtls4j.spi.RetransmissionTimer;
import org.dtls4j.spi.SessionPreconditions;
import org.dtls4j.spi.ThreadScratch;

/**
 * A {@link DtlsSession} over one {@code WOLFSSL} whose I/O callbacks read the datagram
 * being fed and write datagrams to the listener ({@link DatagramIo}): wolfSSL runs
 * non-blocking, and every call returns "want read" once the datagram is used up. The
 * retransmission clock is ours ({@link RetransmissionTimer}: wolfSSL's own timer counts whole seconds, too coarse
 * for the configured schedule, so {@code wolfSSL_dtls_got_timeout} only resends); peer chains go to the shared
 * validator through wolfSSL's verify callback ({@link Callbacks#VERIFY}).
 *
 * <p>Not thread-safe, as the contract says: one caller at a time. {@link #state()} and
 * {@link #droppedDatagrams()} may be read from any thread.
 *
 * <p>Over the project's 450 lines: the DTLS 1.3 post-handshake timer ({@link KeyUpdates}), the
 * listener's 1.3 cookie ({@link #prepareForFirstClientHello}) and the capabilities'
 * per-datagram hooks ({@link SessionExtensions}) are wired into the methods that dispatch on
 * the state; the peer-chain verification ({@link #verifyPeer}) is the part to move out next.
 */
final class WolfSslSession implements DtlsSession {

    static final int MAX_PLAINTEXT = 16384;
    /** Room for any datagram wolfSSL may be given. */
    static final int BUFFER = MAX_PLAINTEXT + 2048 + DtlsRecords.HEADER_SIZE;

    private static final System.Logger LOG = System.getLogger(WolfSslSession.class.getName());

    private final WolfSslContext context;
    private final DtlsConfig config;
    private final DtlsRole role;
    private final InetSocketAddress peer;
    private final DtlsSessionListener listener;
    private final NativeSession handle;
    private final Cleaner.Cleanable cleanable;
    private final Pointer ssl;
    private final DatagramIo io;
    private final RetransmissionTimer timer;
    private final KeyUpdates keyUpdates;
    private final FirstClientHello firstHello = new FirstClientHello();
    private final KeysDiffer keysDiffer = new KeysDiffer();
    private final Failures failures = new Failures();
    /** Reads the peer's records, which carry our CID if one is configured (RFC 9146 tls12_cid, 1.3's unified header). */
    private final DtlsRecordCursor framing;
    /** The highest DTLS 1.2 content type a peer sends: application data, or tls12_cid with CIDs. */
    private final int highestType;
    /** Whether DTLS 1.3 may be negotiated: unified headers, and epochs past 1. */
    private final boolean dtls13;
    private final String hostNameToVerify;
    private final SessionExtensions extensions;
    private final NewestRecords newest;

    private volatile DtlsSessionState state = DtlsSessionState.NEW;
    private volatile long dropped;
    private volatile DtlsSessionInfo info;
    private int maxRecordSize;
    private int delivered;
    private boolean firstDatagram = true;
    /** Whether the peer sends a chain to verify: always to a client, to a server that asks for one. */
    private final boolean mayReceiveChain;
    /** The shared validator's verdict on the peer's chain, once it has run. */
    private Boolean peerVerdict;
    private List<X509Certificate> peerChain = List.of();

    private WolfSslSession(WolfSslContext context, DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener,
                           NativeSession handle) {
        this.context = context;
        this.config = context.config();
        this.role = role;
        this.peer = peer;
        this.listener = listener;
        this.handle = handle;
        this.ssl = handle.ssl;
        this.io = new DatagramIo(listener);
        this.timer = new RetransmissionTimer(config);
        this.keyUpdates = new KeyUpdates(ssl, io, failures, config);
        this.dtls13 = config.protocolVersions().contains(ProtocolVersion.DTLS_1_3);
        this.framing = new DtlsRecordCursor(config.connectionIdLength().orElse(0), dtls13);
        this.highestType = config.connectionIdLength().isPresent() ? DtlsRecords.TLS12_CID : DtlsRecords.APPLICATION_DATA;
        this.mayReceiveChain = role == DtlsRole.CLIENT
                || ConfigFacts.peerVerification(config, DtlsRole.SERVER) != org.dtls4j.PeerVerification.NONE;
        this.hostNameToVerify = role == DtlsRole.CLIENT ? config.serverName().orElse("") : "";
        this.extensions = new SessionExtensions(config, role, peer, context.clientSessions(), context.serverSessions());
        this.newest = new NewestRecords(ssl, dtls13, listener);
        this.maxRecordSize = context.maxRecordSizeBeforeHandshake();
        Sessions.register(handle.id, this);
        this.cleanable = WolfSslContext.CLEANER.register(this, handle);
    }

    /** @param connectionId the CID to ask the peer for, or null to draw one (if one is configured) */
    static WolfSslSession create(WolfSslContext context, DtlsRole role, InetSocketAddress peer,
                                 DtlsSessionListener listener, byte[] connectionId) {
        Pointer ssl = LibWolfSsl.wolfSSL_new(context.ctx(role));
        if (ssl == null) {
            throw new DtlsException("wolfSSL_new failed");
        }
        NativeObjects.COUNTS.created(NativeObjects.Type.WOLFSSL);
        WolfSslSession s = new WolfSslSession(context, role, peer, listener, new NativeSession(Sessions.newId(), ssl));
        try {
            s.configure(context, connectionId);
        } catch (RuntimeException e) {
            s.release();
            throw e;
        }
        return s;
    }

    private void configure(WolfSslContext context, byte[] connectionId) {
        Pointer id = new Pointer(handle.id);
        LibWolfSsl.wolfSSL_SSLSetIORecv(ssl, Callbacks.RECV);
        LibWolfSsl.wolfSSL_SSLSetIOSend(ssl, Callbacks.SEND);
        LibWolfSsl.wolfSSL_SetIOReadCtx(ssl, id);
        LibWolfSsl.wolfSSL_SetIOWriteCtx(ssl, id);
        LibWolfSsl.wolfSSL_SetCertCbCtx(ssl, id);
        // Non-blocking: an empty read is "want read", not a receive timeout that resends.
        LibWolfSsl.wolfSSL_dtls_set_using_nonblock(ssl, 1);
        SessionExtensions.check(LibWolfSsl.wolfSSL_dtls_set_mtu(ssl, (short) config.maxDatagramSize()), "wolfSSL_dtls_set_mtu");
        // wolfSSL's own retransmission counter may double without limit: our clock decides.
        SessionExtensions.check(LibWolfSsl.wolfSSL_dtls_set_timeout_max(ssl, 1 << 30), "wolfSSL_dtls_set_timeout_max");
        extensions.configure(ssl, connectionId);
        if (role == DtlsRole.SERVER) {
            byte[] secret = context.cookieSecret();
            int r = LibWolfSsl.wolfSSL_DTLS_SetCookieSecret(ssl, secret, secret.length); // 0 is success here
            if (r != 0) {
                throw new DtlsException("wolfSSL_DTLS_SetCookieSecret failed: " + Failures.reason(r));
            }
            if (dtls13) {
                // the HelloRetryRequest cookie under the context's rotating secret (Dtls13Cookies);
                // bound to the peer's address once the first ClientHello shows it offers 1.3
                byte[] hrr = context.dtls13Cookies().currentSecret();
                SessionExtensions.check(LibWolfSsl.wolfSSL_send_hrr_cookie(ssl, hrr, hrr.length), "wolfSSL_send_hrr_cookie");
            }
            int mode = switch (ConfigFacts.peerVerification(config, DtlsRole.SERVER)) {
                case NONE -> LibWolfSsl.WOLFSSL_VERIFY_NONE;
                case OPTIONAL -> LibWolfSsl.WOLFSSL_VERIFY_PEER;
                case REQUIRED -> LibWolfSsl.WOLFSSL_VERIFY_PEER | LibWolfSsl.WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
            };
            LibWolfSsl.wolfSSL_set_verify(ssl, mode, Callbacks.VERIFY);
        }
    }

    DatagramIo io() {
        return io;
    }

    SessionExtensions extensions() {
        return extensions;
    }

    /** For the verify callback: the shared validator's verdict on the chain, computed once. */
    boolean verifyPeer(Supplier<List<X509Certificate>> chain) {
        context.forgetPeerIntermediates(role);
        if (peerVerdict == null) {
            List<X509Certificate> c = chain.get();
            try {
                PeerCertificates.validate(config, role, c, hostNameToVerify);
                peerChain = List.copyOf(c);
                peerVerdict = Boolean.TRUE;
            } catch (PeerCertificates.RefusedException refused) {
                // wolfSSL picks its alert from its own check (no CA loaded: unknown_ca), and a
                // callback cannot change it: send ours, and swallow wolfSSL's.
                failures.refused(refused);
                io.sendFatalAlertAndMute(ssl, refused.alert());
                peerVerdict = Boolean.FALSE;
            }
        }
        return peerVerdict;
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
        if (role == DtlsRole.CLIENT) {
            long now = System.nanoTime();
            timer.startHandshake(now);
            handshake();
        }
    }

    @Override
    public void receive(ByteBuffer datagram) {
        DtlsSessionState s = state;
        int n = datagram.remaining();
        int records = s == DtlsSessionState.NEW || s.isTerminal() || n > BUFFER ? 0
                : dtls13 ? framing.reset(datagram).count(DtlsRecords.ACK, 0xffff)
                : framing.reset(datagram).count(highestType, 1);
        if (records == 0 || !PlaintextScreen.passes(datagram)) {
            datagram.position(datagram.limit());
            dropped++;
            return;
        }
        if (firstDatagram && role == DtlsRole.SERVER) {
            timer.startHandshake(System.nanoTime());
            if (dtls13) {
                prepareForFirstClientHello(datagram);
            }
        }
        firstDatagram = false;
        if (s == DtlsSessionState.HANDSHAKING) {
            keysDiffer.inspect(framing, datagram);
            extensions.beforeHandshakeDatagram(ssl, datagram);
        } else {
            newest.before(framing, datagram, records);
        }
        if (!firstHello.feed(datagram, io, ssl, config.maxDatagramSize())) {
            return; // a fragment of the first ClientHello, held until the message is whole
        }
        int emittedBefore = io.emitted();
        int deliveredBefore = delivered;
        try {
            if (s == DtlsSessionState.HANDSHAKING) {
                handshake();
                if (state == s && keysDiffer.decided(io.emitted() != emittedBefore, extensions.usedPsk())) {
                    io.sendFatalAlertAndMute(ssl, DtlsAlert.BAD_RECORD_MAC);
                    fail(keysDiffer.failure());
                }
            } else {
                read();
            }
        } finally {
            io.clear();
        }
        if (state == s && io.emitted() == emittedBefore && delivered == deliveredBefore
                && s != DtlsSessionState.HANDSHAKING) {
            dropped++; // unauthenticated, replayed or stale: wolfSSL discarded it silently
        }
    }

    /**
     * Readies wolfSSL's cookie check for a DTLS 1.3 server session's first ClientHello. If it
     * offers 1.3, wolfSSL's HelloRetryRequest cookie is bound to the peer's address
     * ({@code wolfSSL_dtls_set_peer}), and a ClientHello whose cookie the listener checked is
     * checked by wolfSSL under the same secret, which may be the one before the current
     * ({@link Dtls13Cookies}). A 1.2 ClientHello gets no peer address: wolfSSL's 1.2 cookie
     * would cover it, and the listener's copy of that cookie ({@link Dtls12Cookies}) does not.
     */
    private void prepareForFirstClientHello(ByteBuffer datagram) {
        Dtls13Cookies cookies = context.dtls13Cookies();
        if (!cookies.offersDtls13(datagram)) {
            return;
        }
        byte[] address = Dtls13Cookies.peerBytes(peer);
        SessionExtensions.check(LibWolfSsl.wolfSSL_dtls_set_peer(ssl, address, address.length), "wolfSSL_dtls_set_peer");
        cookies.secretFor(datagram, peer).ifPresent(
                secret -> SessionExtensions.check(LibWolfSsl.wolfSSL_send_hrr_cookie(ssl, secret, secret.length), "wolfSSL_send_hrr_cookie"));
    }

    private void handshake() {
        int emittedBefore = io.emitted();
        int r;
        if (peerVerdict == null && mayReceiveChain) {
            // This call may process the peer's chain: wolfSSL adds its CAs to the context and
            // they are forgotten right after; no other session of the role may verify a chain
            // in between, or a leaf signed by one of them would skip the shared validator.
            synchronized (context.chainLock(role)) {
                r = role == DtlsRole.CLIENT ? LibWolfSsl.wolfSSL_connect(ssl) : LibWolfSsl.wolfSSL_accept(ssl);
                if (peerVerdict != null) {
                    context.forgetPeerIntermediates(role); // what wolfSSL added after the callback's last call
                }
            }
        } else {
            r = role == DtlsRole.CLIENT ? LibWolfSsl.wolfSSL_connect(ssl) : LibWolfSsl.wolfSSL_accept(ssl);
        }
        if (r == LibWolfSsl.WOLFSSL_SUCCESS) {
            boolean resumed = SessionExtensions.resumed(ssl);
            peerChain = resumed && peerVerdict == null ? extensions.resumedChain() : peerChain;
            if (role == DtlsRole.CLIENT && peerVerdict == null && !extensions.usedPsk() && !resumed) {
                // wolfSSL verified the server's chain without asking: only a CA it learnt from
                // another session's chain, in the moment before that was forgotten, can do that
                io.sendFatalAlertAndMute(ssl, DtlsAlert.BAD_CERTIFICATE);
                fail(new DtlsAlertException(DtlsAlert.BAD_CERTIFICATE, DtlsAlertException.Origin.LOCAL,
                        "wolfSSL accepted the server's chain without the shared validator; refused"));
                return;
            }
            established();
            return;
        }
        int e = LibWolfSsl.wolfSSL_get_error(ssl, r);
        if (e == LibWolfSsl.WOLFSSL_ERROR_WANT_READ || e == LibWolfSsl.WOLFSSL_ERROR_WANT_WRITE) {
            if (io.emitted() != emittedBefore) {
                timer.flightSent(System.nanoTime());
            }
            return;
        }
        failures.unsentAlert(ssl, e).ifPresent(a -> io.sendFatalAlertAndMute(ssl, a));
        fail(failures.failure(ssl, e));
    }

    private void established() {
        info = extensions.info(ssl, dtls13, peerChain);
        if (!extensions.admit(ssl, info, io.serverHelloSessionId())) {
            io.sendFatalAlertAndMute(ssl, DtlsAlert.HANDSHAKE_FAILURE);
            fail(new DtlsAlertException(DtlsAlert.HANDSHAKE_FAILURE, DtlsAlertException.Origin.LOCAL,
                    "the client resumed a session that this context did not make; refused"));
            return;
        }
        int max = LibWolfSsl.wolfSSL_GetMaxOutputSize(ssl);
        if (max > 0) {
            maxRecordSize = Math.min(MAX_PLAINTEXT, max);
        }
        state = DtlsSessionState.ESTABLISHED;
        timer.stop();
        if (info.localConnectionId().isPresent()) {
            newest.enable();
        }
        extensions.remember(ssl, peerChain);
        listener.onHandshakeComplete(info);
        read(); // records that came in the same datagram as the last flight
    }

    /** Reads every application record wolfSSL has from the datagram just fed. */
    private void read() {
        ThreadScratch.Lease<Scratch> lease = Scratch.THREADS.enter(handle);
        try {
            read(lease.buffers());
        } finally {
            lease.exit();
        }
    }

    private void read(Scratch scratch) {
        ByteBuffer plainView = scratch.plainView;
        int emittedBefore = io.emitted();
        while (state == DtlsSessionState.ESTABLISHED) {
            int r = LibWolfSsl.wolfSSL_read(ssl, scratch.plain, MAX_PLAINTEXT);
            if (r > 0) {
                newest.settle(); // before the data: a reply to it goes to a moved address
                delivered++;
                plainView.clear();
                plainView.limit(r);
                listener.onRecord(plainView);
                continue;
            }
            int e = LibWolfSsl.wolfSSL_get_error(ssl, r);
            if (e == LibWolfSsl.WOLFSSL_ERROR_WANT_READ || e == LibWolfSsl.WOLFSSL_ERROR_WANT_WRITE) {
                newest.settle();
                if (dtls13) {
                    keyUpdates.afterRead(emittedBefore).ifPresent(this::fail);
                }
                return;
            }
            if (e == LibWolfSsl.WOLFSSL_ERROR_ZERO_RETURN) {
                extensions.remember(ssl, peerChain);
                LibWolfSsl.wolfSSL_shutdown(ssl); // our close_notify in answer (RFC 5246 section 7.2.1)
                state = DtlsSessionState.CLOSED;
                timer.stop();
                release();
                listener.onClosed();
                return;
            }
            fail(failures.failure(ssl, e));
        }
    }

    @Override
    public void send(ByteBuffer record) {
        int n = record.remaining();
        SessionPreconditions.requireSendable(state, n, maxRecordSize);
        if (n == 0) {
            return;
        }
        ThreadScratch.Lease<Scratch> lease = Scratch.THREADS.enter(handle);
        int r;
        try {
            Scratch scratch = lease.buffers();
            scratch.sendView.clear();
            scratch.sendView.put(record);
            r = LibWolfSsl.wolfSSL_write(ssl, scratch.send, n);
        } finally {
            lease.exit();
        }
        if (r == n) {
            return;
        }
        DtlsException failure = failures.failure(ssl, LibWolfSsl.wolfSSL_get_error(ssl, r));
        fail(failure);
        throw new DtlsClosedException("the session failed while sending: " + failure.getMessage());
    }

    @Override
    public int maxRecordSize() {
        return maxRecordSize;
    }

    @Override
    public void updateKeys() {
        SessionPreconditions.requireKeyUpdatable(state, info());
        keyUpdates.request().ifPresent(failure -> {
            fail(failure);
            throw new DtlsClosedException("the session failed while updating keys: " + failure.getMessage());
        });
    }

    @Override
    public long nextTimeout() {
        DtlsSessionState s = state;
        return s == DtlsSessionState.HANDSHAKING ? timer.nextTimeout()
                : s == DtlsSessionState.ESTABLISHED ? keyUpdates.nextTimeout() : NO_TIMEOUT;
    }

    @Override
    public void handleTimeout() {
        long now = System.nanoTime();
        if (state == DtlsSessionState.ESTABLISHED) {
            keyUpdates.handleTimeout(now).ifPresent(this::fail);
            return;
        }
        if (state != DtlsSessionState.HANDSHAKING) {
            return;
        }
        if (timer.handshakeExpired(now)) {
            fail(new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
            return;
        }
        if (!timer.flightExpired(now)) {
            return;
        }
        LibWolfSsl.wolfSSL_dtls_set_timeout_init(ssl, 1); // resets wolfSSL's own doubling counter
        // With the peer's handshake records in, wolfSSL's first expiry only ACKs them (its short timer);
        // a second call resends the flight too, so every expiry of ours retransmits (docs/WOLFSSL.md).
        boolean acksOnly = dtls13 && LibWolfSsl.wolfSSL_dtls13_use_quick_timeout(ssl) != 0;
        int r = LibWolfSsl.wolfSSL_dtls_got_timeout(ssl);
        if (r == LibWolfSsl.WOLFSSL_SUCCESS && acksOnly) {
            r = LibWolfSsl.wolfSSL_dtls_got_timeout(ssl);
        }
        if (r != LibWolfSsl.WOLFSSL_SUCCESS) {
            fail(failures.failure(ssl, LibWolfSsl.wolfSSL_get_error(ssl, r)));
            return;
        }
        timer.retransmitted(System.nanoTime());
    }

    @Override
    public Optional<DtlsSessionInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public byte[] exportKeyingMaterial(String label, int length) {
        SessionPreconditions.requireExportable(state, label, length);
        return KeyingMaterial.export(ssl, info.protocolVersion(), label, null, length);
    }

    @Override
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        SessionPreconditions.requireExportable(state, label, context, length);
        return KeyingMaterial.export(ssl, info.protocolVersion(), label, context.clone(), length);
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
                extensions.remember(ssl, peerChain);
                LibWolfSsl.wolfSSL_shutdown(ssl);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close_notify could not be sent", e);
        } finally {
            state = DtlsSessionState.CLOSED;
            timer.stop();
            release();
        }
    }

    private void release() {
        cleanable.clean();
    }

    private void fail(DtlsException failure) {
        if (state.isTerminal()) {
            return;
        }
        if (state == DtlsSessionState.HANDSHAKING) {
            extensions.handshakeFailed();
        }
        state = DtlsSessionState.FAILED;
        timer.stop();
        release();
        listener.onFailed(failure);
    }

    @Override
    public String toString() {
        return "WolfSslSession[" + role + " " + peer + " " + state + "]";
    }
}
