package org.dtls4j;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One DTLS association as a sans-IO engine: the {@code SSL} object of OpenSSL without its
 * BIOs. Bytes go in with {@link #receive}, datagrams and records come out through the
 * {@link DtlsSessionListener}; the session never touches a socket, a clock-driven thread
 * of the caller's, or a peer table.
 *
 * <h2>Driving a session</h2>
 * <ol>
 *   <li>{@link #beginHandshake()}: a client emits its ClientHello; a server waits for one.</li>
 *   <li>Feed every datagram from the peer to {@link #receive}, one datagram per call.</li>
 *   <li>After every call, read {@link #nextTimeout()}; when {@link System#nanoTime()}
 *       reaches it, call {@link #handleTimeout()} (the seed's {@code DTLSv1_get_timeout} /
 *       {@code DTLSv1_handle_timeout}). That is how flights are retransmitted (RFC 6347
 *       section 4.2.4: the configured initial interval, doubling, capped at the configured
 *       maximum) and how a handshake that never completes fails after
 *       {@link DtlsConfig#handshakeTimeout()}.</li>
 *   <li>Once {@link DtlsSessionListener#onHandshakeComplete} has been called,
 *       {@link #send} protects one application record into one datagram.</li>
 *   <li>{@link #close()} sends close_notify and releases everything the session holds.</li>
 * </ol>
 *
 * <h2>Server sessions and cookies</h2>
 * A server session answers a ClientHello that carries no cookie with a HelloVerifyRequest
 * of its own and keeps going. A ClientHello whose cookie the configuration's
 * {@link CookieAuthority} has already verified (the UDP listener does that statelessly)
 * continues the handshake; how the backend gets there is its business.
 *
 * <h2>Bad input</h2>
 * A datagram that is malformed, fails authentication, is a replay, or belongs to no
 * epoch is dropped and counted in {@link #droppedDatagrams()}: never an exception, never
 * a failed session. Only a genuine fatal alert fails the session.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: the driver calls one session from one thread at a time (any thread,
 * but never two at once). See {@link DtlsSessionListener} for the callback rules.
 *
 * @since 0.1
 */
public interface DtlsSession extends AutoCloseable {

    /** {@link #nextTimeout()} when no timer is armed. */
    long NO_TIMEOUT = Long.MAX_VALUE;

    /** {@return which side of the handshake this session plays} */
    DtlsRole role();

    /** {@return the current state} Safe to read from any thread. */
    DtlsSessionState state();

    /**
     * Starts the handshake. A client emits its first flight; a server arms nothing and
     * waits for a ClientHello.
     *
     * @throws IllegalStateException if called twice
     */
    void beginHandshake();

    /**
     * Takes one datagram received from the peer; consumes all of its remaining bytes.
     * The session does not keep a reference to the buffer.
     *
     * <p>Input that cannot be used is dropped and counted, never thrown. Datagrams that
     * arrive before {@link #beginHandshake()} or after the session ended are dropped too.
     *
     * @param datagram one whole datagram as received, from position to limit
     */
    void receive(ByteBuffer datagram);

    /**
     * Protects one application record and emits it as one datagram; consumes all of the
     * buffer's remaining bytes.
     *
     * @param record the plaintext, from position to limit
     * @throws DtlsRecordTooLargeException if the record is larger than
     *         {@link #maxRecordSize()}; nothing is sent and the session is intact
     * @throws DtlsClosedException if the session is closed or failed
     * @throws IllegalStateException if the handshake has not completed yet
     */
    void send(ByteBuffer record);

    /**
     * {@return the largest application record {@link #send} accepts, which follows from
     * {@link DtlsConfig#maxDatagramSize()} and the negotiated cipher suite's overhead}
     * Before the handshake completes, the value for the most expensive configured suite.
     */
    int maxRecordSize();

    /**
     * {@return when {@link #handleTimeout()} is next due, as a {@link System#nanoTime()} value, or
     * {@link #NO_TIMEOUT}} Compare with {@code deadline - System.nanoTime() <= 0}.
     */
    long nextTimeout();

    /**
     * Called when {@link #nextTimeout()} has been reached: retransmits the last flight
     * and backs off, or fails the handshake with {@link DtlsHandshakeTimeoutException}
     * once its total time has run out. After the handshake, with
     * {@link DtlsConfig#heartbeat()} on, it sends heartbeat requests when the association
     * has been silent for {@link DtlsConfig#heartbeatInterval()} and fails the session with
     * {@link DtlsPeerUnresponsiveException} once one goes unanswered for
     * {@link DtlsConfig#heartbeatTimeout()}. A call before the deadline does nothing.
     */
    void handleTimeout();

    /**
     * The negotiated parameters, once the handshake has completed.
     *
     * @return empty before {@link DtlsSessionState#ESTABLISHED}
     */
    Optional<DtlsSessionInfo> info();

    /**
     * Derives keying material from the session's master secret (RFC 5705), with no context.
     * Both sides get the same bytes for the same label and length.
     *
     * @param label a label such as {@code "EXTRACTOR-dtls_srtp"}; ASCII
     * @param length how many bytes to derive, 1 to 8160
     * @return {@code length} bytes of keying material
     * @throws DtlsUnsupportedCapabilityException if the provider does not declare
     *         {@link Capability#KEYING_MATERIAL_EXPORTER}
     * @throws IllegalArgumentException if the label is empty or not ASCII, or the length is not
     *         from 1 to 8160 ({@code org.dtls4j.spi.SessionPreconditions})
     * @throws IllegalStateException if the session is not {@link DtlsSessionState#ESTABLISHED}
     */
    default byte[] exportKeyingMaterial(String label, int length) {
        throw new DtlsUnsupportedCapabilityException(Capability.KEYING_MATERIAL_EXPORTER,
                getClass().getName(), "this session cannot export keying material");
    }

    /**
     * Derives keying material from the session's master secret (RFC 5705) bound to a
     * context value. In DTLS 1.2 an empty context differs from no context at all (RFC 5705); in
     * DTLS 1.3 they are the same (RFC 8446 section 7.5).
     *
     * @param label a label such as {@code "EXTRACTOR-dtls_srtp"}; ASCII
     * @param context the context value both sides bind, at most 65535 bytes
     * @param length how many bytes to derive, 1 to 8160
     * @return {@code length} bytes of keying material
     * @throws DtlsUnsupportedCapabilityException if the provider does not declare
     *         {@link Capability#KEYING_MATERIAL_EXPORTER}, or its backend's DTLS 1.2 exporter
     *         cannot take a label and context this long
     *         ({@code org.dtls4j.spi.SessionPreconditions.requireExportFits})
     * @throws IllegalArgumentException as for {@link #exportKeyingMaterial(String, int)}, or if
     *         the context is longer than 65535 bytes (RFC 5705 section 4)
     * @throws IllegalStateException if the session is not {@link DtlsSessionState#ESTABLISHED}
     */
    default byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        throw new DtlsUnsupportedCapabilityException(Capability.KEYING_MATERIAL_EXPORTER,
                getClass().getName(), "this session cannot export keying material");
    }

    /**
     * Asks for a key update (RFC 9147 section 8, RFC 8446 section 4.6.3): sends a KeyUpdate
     * with {@code update_requested}, so that this side's sending keys move to the next epoch
     * once the peer acknowledges it, and the peer answers with a KeyUpdate of its own that
     * moves its sending keys too. Records keep flowing meanwhile; records of the old epoch
     * that arrive late are still delivered. The KeyUpdate is retransmitted on the session's
     * timer ({@link #nextTimeout()}) until acknowledged. Asking again before an update has
     * completed does nothing more.
     *
     * @throws DtlsVersionException if the session negotiated a version without key updates
     *         (DTLS 1.2); the session is untouched
     * @throws IllegalStateException if the handshake has not completed
     * @throws DtlsClosedException if the session is closed or failed
     */
    default void updateKeys() {
        org.dtls4j.spi.SessionPreconditions.requireKeyUpdatable(state(), info());
        throw new UnsupportedOperationException(getClass().getName() + " negotiated DTLS 1.3 but cannot update keys");
    }

    /**
     * {@return datagrams dropped since the session began: malformed, unauthenticated, replayed,
     * or of an unknown epoch}
     */
    long droppedDatagrams();

    /**
     * Sends close_notify if the handshake has completed, then releases everything the
     * session holds (threads, timers, native memory). Idempotent; never throws.
     */
    @Override
    void close();
}
