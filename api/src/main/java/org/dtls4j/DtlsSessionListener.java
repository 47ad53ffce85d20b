package org.dtls4j;

import java.nio.ByteBuffer;

/**
 * Where a {@link DtlsSession} delivers what it produces: datagrams for the peer,
 * application records, and state changes.
 *
 * <h2>Threading rules</h2>
 * <ul>
 *   <li>A provider calls the listener of one session from one thread at a time and in
 *       order (never two callbacks of one session at once).</li>
 *   <li>Callbacks happen either during a call into the session, on the caller's thread,
 *       or on a thread of the provider's own (BouncyCastle runs its handshake on one).
 *       The listener must therefore be safe to call from any thread.</li>
 *   <li>A callback must not block and must not call back into the same session: record
 *       what is needed and act after the session call has returned (the transport and
 *       the TCK queue work onto their own loop).</li>
 *   <li>A {@link ByteBuffer} handed to a callback is valid only during that callback and
 *       may be read-only; copy what you keep.</li>
 * </ul>
 *
 * @since 0.1
 */
public interface DtlsSessionListener {

    /**
     * The session wants this datagram sent to its peer, as one datagram.
     *
     * @param datagram its remaining bytes are the datagram; valid only during the call
     */
    void onDatagram(ByteBuffer datagram);

    /**
     * The peer sent this application record. Records arrive at most once each (replays are
     * dropped) and each one is exactly one {@code send} of the peer.
     *
     * @param record its remaining bytes are the record's plaintext; valid only during the call
     */
    void onRecord(ByteBuffer record);

    /**
     * The handshake completed; the session is {@link DtlsSessionState#ESTABLISHED}.
     *
     * @param info what the handshake negotiated: version, cipher suite, peer identity, resumption
     */
    default void onHandshakeComplete(DtlsSessionInfo info) {
    }

    /**
     * The peer sent close_notify: end of stream. The session is now
     * {@link DtlsSessionState#CLOSED}.
     */
    default void onClosed() {
    }

    /**
     * The session failed: a {@link DtlsAlertException} (alert sent or received), a
     * {@link DtlsHandshakeTimeoutException}, or (with heartbeats on) a
     * {@link DtlsPeerUnresponsiveException}. The session is now
     * {@link DtlsSessionState#FAILED}. Called at most once.
     *
     * @param failure why the session failed
     */
    default void onFailed(DtlsException failure) {
    }

    /**
     * A record of the datagram being received authenticated and is newer than every record the
     * session has accepted before: the proof RFC 9146 section 6 and RFC 9147 section 9 ask for
     * before a peer's address may change. Called during {@link DtlsSession#receive}, on its
     * thread, before the record's {@link #onRecord} if it has one; at most a few times per
     * datagram. A record that failed authentication, a replay, or an older record delivered
     * late (reordered) must never cause it. Providers that do not declare
     * {@link Capability#CONNECTION_ID} may never call it.
     *
     * <p>Why this shape: only the session knows that a record authenticated and where it
     * stands in the replay window, and only the transport knows the address the datagram came
     * from. A callback during the receive that carried the record binds the two without the
     * session learning addresses, without a per-datagram call when nothing is new (a counter
     * read around every {@code receive} would cost two calls per datagram), and without a
     * window in which another thread's record could be taken for this datagram's: the
     * transport ignores the call on any thread that is not inside {@code receive}.
     */
    default void onNewestRecordAuthenticated() {
    }

    /**
     * A provider thread changed the session's {@link DtlsSession#nextTimeout()}; the driver
     * should read it again. Not called for changes made during a call into the session
     * (the driver reads the deadline after every call anyway).
     */
    default void onTimeoutChanged() {
    }
}
