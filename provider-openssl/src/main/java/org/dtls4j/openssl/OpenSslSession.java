package org.dtls4j.openssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.PeerCertificates;
import org.dtls4j.spi.ServerNames;
import org.dtls4j.spi.SessionPreconditions;

/**
 * A {@link DtlsSession} over one OpenSSL {@code SSL} between two memory BIOs.
 *
 * <ul>
 *   <li>In: each datagram is checked for DTLS framing ({@link DtlsRecords}), then written
 *       whole into the read BIO before one OpenSSL call, so OpenSSL reads it as one
 *       datagram; what it leaves behind is discarded.</li>
 *   <li>Out: after every call the write BIO is drained and each record goes out as its own
 *       datagram (OpenSSL 3.0's memory BIO does not keep datagram boundaries; every record
 *       already fits the link MTU set with {@code DTLS_set_link_mtu}).</li>
 *   <li>Server cookies: the first ClientHello goes through {@code DTLSv1_listen} with the
 *       configuration's {@link org.dtls4j.CookieAuthority}; a ClientHello that arrives
 *       first with a cookie the authority verifies over the parameters the api's listener
 *       binds ({@link ClientHellos#verifiedCookie}), which OpenSSL's callbacks never see, is
 *       accepted as the listener's.</li>
 *   <li>Timers: {@code DTLS_set_timer_cb} gives OpenSSL the configured initial interval,
 *       doubling to the maximum; {@code DTLSv1_get_timeout} gives the deadline;
 *       {@code DTLSv1_handle_timeout} retransmits; the total handshake time is enforced
 *       here.</li>
 *   <li>Alerts: the info callback reports each alert sent and received, which is who sent
 *       a fatal one and which.</li>
 * </ul>
 *
 * <p>Not thread-safe, as the contract says: one caller at a time. {@link #state()} and
 * {@link #droppedDatagrams()} may be read from any thread. Native buffers are allocated
 * once per session; nothing is allocated per record.
 */
final class OpenSslSession implements DtlsSession {

    private static final System.Logger LOG = System.getLogger(OpenSslSession.class.getName());
    /** Sessions by SSL pointer, for the callbacks; weak so that an abandoned session can be cleaned. */
    private static final ConcurrentHashMap<Long, WeakReference<OpenSslSession>> BY_SSL = new ConcurrentHashMap<>();
    /** Room for any DTLS record: 2^14 plaintext plus 2048 of expansion plus the header. */
    private static final int BUFFER = 16384 + 2048 + DtlsRecords.HEADER_SIZE;
    /** A DTLS record carries at most 2^14 bytes of plaintext. */
    private static final int MAX_PLAINTEXT = 16384;

    private final OpenSslContext context;
    private final DtlsConfig config;
    private final DtlsRole role;
    private final InetSocketAddress peer;
    private final DtlsSessionListener listener;
    /** The SNI a client sends ("" for none). */
    private final String requestedServerName;
    /** The host name a client checks the server certificate against ("" for none). */
    private final String hostNameToVerify;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private final Pointer ssl;
    private final DtlsRecordCursor framing = new DtlsRecordCursor();
    private final ByteBuffer inView;
    private final ByteBuffer plainView;
    private final ByteBuffer sendView;
    private ByteBuffer outView;
    private final long initialMicros;
    private final long maxMicros;

    private volatile DtlsSessionState state = DtlsSessionState.NEW;
    private volatile long dropped;
    private volatile DtlsSessionInfo info;
    private int maxRecordSize;
    private boolean listened;
    private boolean firstDatagram = true;
    private byte[] listenerCookie;
    private long handshakeDeadline = NO_TIMEOUT;
    private long flightDeadline = NO_TIMEOUT;
    private int emitted;
    private int delivered;
    /** Protected handshake datagrams that moved nothing: OpenSSL drops records it cannot decrypt silently. */
    private int undecryptable;
    /** The highest epoch-0 record sequence number sent, for an alert of our own. */
    private long epoch0Sequence = -1;
    /**
     * Our last flight, kept once the handshake is complete until the peer's first record
     * shows it arrived: OpenSSL resends it only for a retransmitted Finished it has not
     * seen, and drops as replays the byte-identical flights some peers (our JSSE provider)
     * resend.
     */
    private List<byte[]> lastFlight;
    /** Whether the datagrams emitted now are copied into {@link #lastFlight}. */
    private boolean keepingFlight;
    private int alertSent = -1;
    private int alertReceived = -1;
    private PeerCertificates.RefusedException refusal;

    private OpenSslSession(OpenSslContext context, DtlsRole role, InetSocketAddress peer, DtlsSessionListener listener,
                           Handle handle) {
        this.context = context;
        this.config = context.config();
        this.role = role;
        this.peer = peer;
        this.listener = listener;
        this.handle = handle;
        this.ssl = handle.ssl;
        this.requestedServerName = role == DtlsRole.CLIENT ? config.serverName().or(() -> ServerNames.forPeer(peer)).orElse("") : "";
        this.hostNameToVerify = role == DtlsRole.CLIENT ? config.serverName().orElse("") : "";
        this.inView = handle.in.getByteBuffer(0, BUFFER);
        this.plainView = handle.plain.getByteBuffer(0, BUFFER).asReadOnlyBuffer();
        this.sendView = handle.plain.getByteBuffer(0, MAX_PLAINTEXT);
        this.outView = handle.out.getByteBuffer(0, handle.out.size()).asReadOnlyBuffer();
        this.initialMicros = Math.max(1, config.initialRetransmitTimeout().toNanos() / 1000);
        this.maxMicros = Math.max(initialMicros, Math.min(0xffff_ffffL, config.maxRetransmitTimeout().toNanos() / 1000));
        this.maxRecordSize = Math.min(MAX_PLAINTEXT, context.maxRecordSizeBeforeHandshake());
        BY_SSL.put(Pointer.nativeValue(ssl), new WeakReference<>(this));
        this.cleanable = OpenSslContext.CLEANER.register(this, handle);
    }

    /** The native state a session owns, freed exactly once (by close/failure or the Cleaner). */
    private static final class Handle implements Runnable {
        final Pointer ssl;
        final Pointer rbio;
        final Pointer wbio;
        final Pointer address;
        final Memory in = new Memory(BUFFER);
        final Memory plain = new Memory(BUFFER);
        final Memory timeval = new Memory(16);
        Memory out = new Memory(BUFFER);

        Handle(Pointer ssl, Pointer rbio, Pointer wbio, Pointer address) {
            this.ssl = ssl;
            this.rbio = rbio;
            this.wbio = wbio;
            this.address = address;
        }

        @Override
        public void run() {
            BY_SSL.remove(Pointer.nativeValue(ssl));
            LibSsl.SSL_free(ssl); // frees both BIOs it owns
            NativeObjects.freed(NativeObjects.Type.SSL);
            NativeObjects.freed(NativeObjects.Type.BIO);
            NativeObjects.freed(NativeObjects.Type.BIO);
            if (address != null) {
                LibSsl.BIO_ADDR_free(address);
                NativeObjects.freed(NativeObjects.Type.BIO_ADDR);
            }
            in.close();
            plain.close();
            timeval.close();
            out.close();
        }
    }

    static OpenSslSession create(OpenSslContext context, DtlsRole role, InetSocketAddress peer,
                                 DtlsSessionListener listener) {
        OpenSslErrors.clear();
        Pointer ssl = LibSsl.SSL_new(context.ctx());
        if (ssl == null) {
            throw new DtlsException("SSL_new failed: " + OpenSslErrors.drain());
        }
        NativeObjects.created(NativeObjects.Type.SSL);
        Pointer rbio = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        Pointer wbio = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        if (rbio == null || wbio == null) {
            for (Pointer b : new Pointer[] {rbio, wbio}) {
                if (b != null) {
                    LibSsl.BIO_free(b);
                }
            }
            LibSsl.SSL_free(ssl);
            NativeObjects.freed(NativeObjects.Type.SSL);
            throw new DtlsException("BIO_new failed: " + OpenSslErrors.drain());
        }
        NativeObjects.created(NativeObjects.Type.BIO);
        NativeObjects.created(NativeObjects.Type.BIO);
        // An empty memory BIO reads as "retry", not end of file.
        LibSsl.BIO_ctrl(rbio, LibSsl.BIO_C_SET_BUF_MEM_EOF_RETURN, -1, null);
        LibSsl.BIO_ctrl(wbio, LibSsl.BIO_C_SET_BUF_MEM_EOF_RETURN, -1, null);
        LibSsl.SSL_set_bio(ssl, rbio, wbio);
        Pointer address = null;
        if (role == DtlsRole.SERVER) {
            address = LibSsl.BIO_ADDR_new(); // DTLSv1_listen writes here; NULL crashes it
            if (address != null) {
                NativeObjects.created(NativeObjects.Type.BIO_ADDR);
            }
        }
        Handle handle = new Handle(ssl, rbio, wbio, address);
        if (role == DtlsRole.SERVER && address == null) {
            handle.run();
            throw new DtlsException("BIO_ADDR_new failed: " + OpenSslErrors.drain());
        }
        OpenSslSession session = new OpenSslSession(context, role, peer, listener, handle);
        try {
            session.configure();
        } catch (RuntimeException e) {
            session.release();
            throw e;
        }
        return session;
    }

    private void configure() {
        DtlsConfig c = config;
        LibSsl.SSL_set_options(ssl, LibSsl.SSL_OP_NO_QUERY_MTU);
        if (LibSsl.SSL_ctrl(ssl, LibSsl.DTLS_CTRL_SET_LINK_MTU, c.maxDatagramSize(), null) != 1) {
            throw new DtlsException("DTLS_set_link_mtu(" + c.maxDatagramSize() + ") failed: " + OpenSslErrors.drain());
        }
        LibSsl.DTLS_set_timer_cb(ssl, Callbacks.TIMER);
        if (role == DtlsRole.CLIENT) {
            LibSsl.SSL_set_connect_state(ssl);
            // The shared validator decides for every mode, NONE included (it still runs the verifier).
            LibSsl.SSL_set_verify(ssl, LibSsl.SSL_VERIFY_PEER, null);
            if (!requestedServerName.isEmpty()) {
                byte[] name = requestedServerName.getBytes(StandardCharsets.US_ASCII);
                try (Memory m = new Memory(name.length + 1)) {
                    m.write(0, name, 0, name.length);
                    m.setByte(name.length, (byte) 0);
                    if (LibSsl.SSL_ctrl(ssl, LibSsl.SSL_CTRL_SET_TLSEXT_HOSTNAME, LibSsl.TLSEXT_NAMETYPE_HOST_NAME, m) != 1) {
                        throw new DtlsException("cannot set the SNI host name: " + OpenSslErrors.drain());
                    }
                }
            }
            context.resumeInto(ssl, peer);
        } else {
            LibSsl.SSL_set_accept_state(ssl);
            int mode = switch (c.peerVerification(DtlsRole.SERVER)) {
                case NONE -> LibSsl.SSL_VERIFY_NONE;
                case OPTIONAL -> LibSsl.SSL_VERIFY_PEER;
                case REQUIRED -> LibSsl.SSL_VERIFY_PEER | LibSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
            };
            LibSsl.SSL_set_verify(ssl, mode, null);
        }
    }

    /** The session an {@code SSL} belongs to, or null; for the callbacks. */
    static OpenSslSession forSsl(Pointer ssl) {
        WeakReference<OpenSslSession> ref = ssl == null ? null : BY_SSL.get(Pointer.nativeValue(ssl));
        return ref == null ? null : ref.get();
    }

    // --- what the callbacks ask ---

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
        refusal = e;
    }

    void alert(boolean sent, int level, int description) {
        if (level != 2) {
            return; // warnings: close_notify is handled as end of stream
        }
        if (sent) {
            alertSent = description;
        } else {
            alertReceived = description;
        }
    }

    long nextTimerMicros(long previous) {
        return previous == 0 ? initialMicros : Math.min(previous * 2, maxMicros);
    }

    boolean acceptsCookie(byte[] cookie) {
        if (listenerCookie != null && MessageDigest.isEqual(listenerCookie, cookie)) {
            return true;
        }
        return config.cookieAuthority().verify(peer, ByteBuffer.allocate(0).asReadOnlyBuffer(), cookie);
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
            handshakeDeadline = System.nanoTime() + config.handshakeTimeout().toNanos();
            handshake();
            updateTimer();
        }
    }

    @Override
    public void receive(ByteBuffer datagram) {
        DtlsSessionState s = state;
        int n = datagram.remaining();
        int records = s == DtlsSessionState.NEW || s.isTerminal() || n > BUFFER ? 0 : framing.reset(datagram)
                .count(DtlsRecords.APPLICATION_DATA, 1); // this provider never renegotiates: epochs 0 and 1 only
        if (records == 0) {
            datagram.position(datagram.limit());
            dropped++;
            return;
        }
        if (firstDatagram) {
            firstDatagram = false;
            if (role == DtlsRole.SERVER) {
                handshakeDeadline = System.nanoTime() + config.handshakeTimeout().toNanos();
                // Only a cookie our CookieAuthority verifies over the fields the listener binds
                // (which OpenSSL's callbacks never see) skips OpenSSL's own cookie check.
                listenerCookie = ClientHellos.verifiedCookie(config, peer, datagram).orElse(null);
            }
        }
        boolean protectedHandshake = DtlsRecords.contentType(datagram, datagram.position()) == DtlsRecords.HANDSHAKE
                && DtlsRecords.epoch(datagram, datagram.position()) == 1;
        inView.clear();
        inView.put(datagram);
        int emittedBefore = emitted;
        int deliveredBefore = delivered;
        try {
            LibSsl.BIO_write(handle.rbio, handle.in, n); // a memory BIO write cannot fail short of memory
            if (s == DtlsSessionState.HANDSHAKING) {
                if (role == DtlsRole.SERVER && !listened) {
                    listen();
                }
                if (state == DtlsSessionState.HANDSHAKING && (role == DtlsRole.CLIENT || listened)) {
                    handshake();
                    if (protectedHandshake && state == DtlsSessionState.HANDSHAKING && emitted == emittedBefore) {
                        undecryptableFinished();
                    }
                }
            } else {
                readRecords(records);
                if (delivered != deliveredBefore) {
                    lastFlight = null; // the peer has our last flight
                }
                if (state == s && emitted == emittedBefore && delivered == deliveredBefore) {
                    if (protectedHandshake && lastFlight != null && !lastFlight.isEmpty()) {
                        resendLastFlight(); // the peer's Finished again: our last flight was lost
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

    private void listen() {
        int emittedBefore = emitted;
        OpenSslErrors.clear();
        int r = LibSsl.DTLSv1_listen(ssl, handle.address);
        String errors = OpenSslErrors.drain();
        if (r > 0) {
            listened = true;
            return;
        }
        drainOutput();
        if (emitted == emittedBefore) {
            dropped++; // not a ClientHello, or a cookie that does not verify: stateless, never fatal
            LOG.log(System.Logger.Level.TRACE, () -> "DTLSv1_listen dropped a datagram: " + r + " " + errors);
        }
    }

    private void handshake() {
        OpenSslErrors.clear();
        int r = LibSsl.SSL_do_handshake(ssl);
        if (r == 1) {
            OpenSslErrors.clear();
            lastFlight = new ArrayList<>(4);
            keepingFlight = true;
            try {
                drainOutput();
            } finally {
                keepingFlight = false;
            }
            established();
            return;
        }
        int e = LibSsl.SSL_get_error(ssl, r);
        String errors = OpenSslErrors.drain();
        drainOutput();
        if (e == LibSsl.SSL_ERROR_WANT_READ || e == LibSsl.SSL_ERROR_WANT_WRITE) {
            return;
        }
        fail(failure(e, errors));
    }

    /**
     * The peer's Finished, protected under the new keys, came again and again and OpenSSL
     * could neither decrypt it nor answer it: the keys differ (a wrong PSK, say). OpenSSL
     * discards such records silently, as RFC 6347 allows, and would let the handshake time
     * out; RFC 6347 section 4.1.2.7 also allows a fatal bad_record_mac, which tells both
     * sides at once. One Finished that overtook its ChangeCipherSpec is not enough, and
     * none counts before OpenSSL has read the peer's ChangeCipherSpec: on a lossy path the
     * peer's ChangeCipherSpec, or the key exchange before it, can be lost again and again
     * while its Finished gets through, and then the keys are not wrong, only not switched
     * on yet.
     */
    private void undecryptableFinished() {
        String state = LibSsl.SSL_state_string_long(ssl);
        if (state == null || !state.contains("read change cipher spec") || ++undecryptable < 3) {
            return;
        }
        // Our write epoch is still 0 (we have not answered the peer's Finished): a plaintext alert.
        long sequence = epoch0Sequence + 1;
        ByteBuffer alert = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + 2);
        DtlsRecords.putHeader(alert, DtlsRecords.ALERT, LibSsl.DTLS1_2_VERSION, 0, sequence, 2)
                .put(DtlsRecords.FATAL).put((byte) DtlsAlert.BAD_RECORD_MAC.code()).flip();
        emitted++;
        listener.onDatagram(alert.asReadOnlyBuffer());
        fail(new DtlsAlertException(DtlsAlert.BAD_RECORD_MAC, DtlsAlertException.Origin.LOCAL,
                "the peer's Finished could not be decrypted " + undecryptable
                + " times: the keys differ (for PSK: a wrong key)"));
    }

    private void resendLastFlight() {
        for (byte[] d : lastFlight) {
            emitted++;
            listener.onDatagram(ByteBuffer.wrap(d).asReadOnlyBuffer());
        }
    }

    private void established() {
        info = sessionInfo();
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
        flightDeadline = NO_TIMEOUT;
        handshakeDeadline = NO_TIMEOUT;
        listener.onHandshakeComplete(info);
        readRecords(Integer.MAX_VALUE); // records that came in the same datagram as the last flight
    }

    /**
     * Reads the application records of the datagram just written, at most {@code records}:
     * one SSL_read per record, and no extra call to learn that a one-record datagram is done.
     */
    private void readRecords(int records) {
        for (int read = 0; state == DtlsSessionState.ESTABLISHED; ) {
            OpenSslErrors.clear();
            int r = LibSsl.SSL_read(ssl, handle.plain, MAX_PLAINTEXT);
            if (r > 0) {
                delivered++;
                plainView.clear();
                plainView.limit(r);
                listener.onRecord(plainView);
                if (++read >= records) {
                    drainOutput();
                    return;
                }
                continue;
            }
            int e = LibSsl.SSL_get_error(ssl, r);
            String errors = OpenSslErrors.drain();
            drainOutput();
            if (e == LibSsl.SSL_ERROR_ZERO_RETURN) {
                // Answer with our close_notify (RFC 5246 section 7.2.1). It also marks the
                // session cleanly shut down, which keeps it in the server's cache for resumption.
                OpenSslErrors.clear();
                LibSsl.SSL_shutdown(ssl);
                OpenSslErrors.clear();
                drainOutput();
                state = DtlsSessionState.CLOSED;
                release();
                listener.onClosed();
                return;
            }
            if (e == LibSsl.SSL_ERROR_WANT_READ || e == LibSsl.SSL_ERROR_WANT_WRITE) {
                return;
            }
            fail(failure(e, errors));
        }
    }

    @Override
    public void send(ByteBuffer record) {
        int n = record.remaining();
        SessionPreconditions.requireSendable(state, n, maxRecordSize);
        if (n == 0) {
            return; // OpenSSL does not protect empty application records
        }
        sendView.clear();
        sendView.put(record);
        OpenSslErrors.clear();
        int r = LibSsl.SSL_write(ssl, handle.plain, n);
        if (r == n) {
            drainOutput();
            return;
        }
        int e = LibSsl.SSL_get_error(ssl, r);
        String errors = OpenSslErrors.drain();
        drainOutput();
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
        if (state != DtlsSessionState.HANDSHAKING) {
            return NO_TIMEOUT;
        }
        if (flightDeadline == NO_TIMEOUT) {
            return handshakeDeadline;
        }
        if (handshakeDeadline == NO_TIMEOUT) {
            return flightDeadline;
        }
        return flightDeadline - handshakeDeadline < 0 ? flightDeadline : handshakeDeadline;
    }

    @Override
    public void handleTimeout() {
        if (state != DtlsSessionState.HANDSHAKING) {
            return;
        }
        long now = System.nanoTime();
        if (handshakeDeadline != NO_TIMEOUT && now - handshakeDeadline >= 0) {
            fail(new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
            return;
        }
        if (flightDeadline == NO_TIMEOUT || now - flightDeadline < 0) {
            return;
        }
        OpenSslErrors.clear();
        long r = LibSsl.SSL_ctrl(ssl, LibSsl.DTLS_CTRL_HANDLE_TIMEOUT, 0, null);
        String errors = OpenSslErrors.drain();
        drainOutput();
        if (r < 0) {
            // OpenSSL gives up after 12 retransmissions of one flight
            fail(alertSent >= 0 ? failure(LibSsl.SSL_ERROR_SSL, errors)
                    : new DtlsHandshakeTimeoutException(config.handshakeTimeout()));
            return;
        }
        flightDeadline = NO_TIMEOUT;
        updateTimer();
    }

    /** Reads OpenSSL's retransmission deadline after a call. */
    private void updateTimer() {
        if (state != DtlsSessionState.HANDSHAKING) {
            flightDeadline = NO_TIMEOUT;
            return;
        }
        if (LibSsl.SSL_ctrl(ssl, LibSsl.DTLS_CTRL_GET_TIMEOUT, 0, handle.timeval) <= 0) {
            flightDeadline = NO_TIMEOUT;
            return;
        }
        long remaining = handle.timeval.getLong(0) * 1_000_000_000L + handle.timeval.getLong(8) * 1_000L;
        long now = System.nanoTime();
        if (remaining > 0) {
            flightDeadline = now + remaining;
        } else if (flightDeadline == NO_TIMEOUT) {
            // OpenSSL reports under 15 ms as 0: due now
            flightDeadline = now;
        }
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
                drainOutput();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close_notify could not be sent", e);
        } finally {
            state = DtlsSessionState.CLOSED;
            flightDeadline = NO_TIMEOUT;
            handshakeDeadline = NO_TIMEOUT;
            release();
        }
    }

    private void release() {
        lastFlight = null;
        cleanable.clean();
    }

    /** Sends every record OpenSSL wrote, one per datagram. */
    private void drainOutput() {
        long pending = LibSsl.BIO_ctrl_pending(handle.wbio);
        while (pending > 0) {
            if (pending > handle.out.size()) {
                Memory bigger = new Memory(pending);
                handle.out.close();
                handle.out = bigger;
                outView = bigger.getByteBuffer(0, pending).asReadOnlyBuffer();
            }
            int n = LibSsl.BIO_read(handle.wbio, handle.out, (int) Math.min(pending, handle.out.size()));
            if (n <= 0) {
                break;
            }
            pending -= n; // nothing else writes to the BIO meanwhile: no second pending query
            for (int at = 0; at < n; ) {
                outView.clear(); // absolute reads check the limit
                int length = DtlsRecords.recordSizeWithin(outView, at, n);
                outView.position(at).limit(at + length);
                if (length >= DtlsRecords.HEADER_SIZE && outView.get(at + 3) == 0 && outView.get(at + 4) == 0) {
                    epoch0Sequence = ((outView.getShort(at + 5) & 0xffffL) << 32) | (outView.getInt(at + 7) & 0xffffffffL);
                }
                emitted++;
                if (keepingFlight) {
                    byte[] copy = new byte[length];
                    outView.duplicate().get(copy);
                    lastFlight.add(copy);
                }
                listener.onDatagram(outView);
                at += length;
            }
        }
    }

    private DtlsException failure(int sslError, String errors) {
        String detail = (errors.isEmpty() ? "SSL_get_error " + sslError : errors)
                + (refusal != null ? " (" + refusal.getMessage() + ")" : "");
        if (alertSent >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(alertSent), DtlsAlertException.Origin.LOCAL, detail, refusal);
        }
        if (alertReceived >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(alertReceived), DtlsAlertException.Origin.PEER, detail);
        }
        return new DtlsAlertException(DtlsAlert.INTERNAL_ERROR, DtlsAlertException.Origin.LOCAL,
                "OpenSSL failed without an alert: " + detail);
    }

    private void fail(DtlsException failure) {
        if (state.isTerminal()) {
            return;
        }
        state = DtlsSessionState.FAILED;
        flightDeadline = NO_TIMEOUT;
        handshakeDeadline = NO_TIMEOUT;
        release();
        listener.onFailed(failure);
    }

    private DtlsSessionInfo sessionInfo() {
        int version = LibSsl.SSL_version(ssl);
        Pointer cipher = LibSsl.SSL_get_current_cipher(ssl);
        String name = cipher == null ? "" : LibSsl.SSL_CIPHER_get_name(cipher);
        String suite = CipherSuites.ianaName(name).orElseGet(() -> {
            String standard = cipher == null ? null : LibSsl.SSL_CIPHER_standard_name(cipher);
            return standard != null ? standard : name;
        });
        DtlsSessionInfo.Builder b = DtlsSessionInfo.builder(
                version == LibSsl.DTLS1_VERSION ? ProtocolVersion.DTLS_1_0 : ProtocolVersion.DTLS_1_2, suite);
        b.peerCertificates(peerCertificates());
        try (Memory data = new Memory(com.sun.jna.Native.POINTER_SIZE); Memory length = new Memory(4)) {
            data.setPointer(0, null);
            length.setInt(0, 0);
            LibSsl.SSL_get0_alpn_selected(ssl, data, length);
            Pointer p = data.getPointer(0);
            int n = length.getInt(0);
            if (p != null && n > 0) {
                b.applicationProtocol(new String(p.getByteArray(0, n), StandardCharsets.US_ASCII));
            }
        }
        if (role == DtlsRole.CLIENT) {
            b.serverName(requestedServerName);
        } else {
            String sni = LibSsl.SSL_get_servername(ssl, LibSsl.TLSEXT_NAMETYPE_HOST_NAME);
            b.serverName(sni == null ? "" : sni);
        }
        b.resumed(LibSsl.SSL_session_reused(ssl) == 1);
        Pointer psk = LibSsl.SSL_get_psk_identity(ssl);
        if (psk != null) {
            // OpenSSL keeps identities as C strings: up to the first zero byte
            b.pskIdentity(psk.getString(0, StandardCharsets.ISO_8859_1.name()).getBytes(StandardCharsets.ISO_8859_1));
        }
        Pointer srtp = LibSsl.SSL_get_selected_srtp_profile(ssl);
        if (srtp != null) {
            Pointer profileName = srtp.getPointer(0);
            if (profileName != null) {
                b.srtpProfile(profileName.getString(0, StandardCharsets.US_ASCII.name()));
            }
        }
        return b.build();
    }

    /** The peer's chain, end-entity first (a server's OpenSSL keeps the client's leaf apart). */
    private List<X509Certificate> peerCertificates() {
        List<X509Certificate> chain = new ArrayList<>(Callbacks.Certificates.of(LibSsl.SSL_get_peer_cert_chain(ssl)));
        if (role == DtlsRole.SERVER) {
            Pointer leaf = LibSsl.SSL_get1_peer_certificate(ssl);
            if (leaf != null) {
                NativeObjects.created(NativeObjects.Type.X509);
                try {
                    X509Certificate c = Callbacks.Certificates.parse(OpenSslContext.Der.of(leaf));
                    if (chain.isEmpty() || !chain.get(0).equals(c)) {
                        chain.add(0, c);
                    }
                } finally {
                    LibSsl.X509_free(leaf);
                    NativeObjects.freed(NativeObjects.Type.X509);
                }
            }
        }
        return chain;
    }

    @Override
    public String toString() {
        return "OpenSslSession[" + role + " " + peer + " " + state + "]";
    }
}
