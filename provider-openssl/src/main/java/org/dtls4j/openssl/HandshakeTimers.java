package org.dtls4j.openssl;

import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;

/**
 * An OpenSSL session's two handshake clocks: the total handshake deadline dtls4j keeps,
 * and the retransmission deadline OpenSSL keeps (read after every call through
 * {@code DTLSv1_get_timeout}, {@code SSL_ctrl} 73), with the RFC 6347 schedule it is given
 * through {@code DTLS_set_timer_cb} (the configured initial interval, doubling, capped).
 *
 * <p>Not thread-safe: part of one {@link OpenSslSession}, used on its caller's thread.
 */
final class HandshakeTimers {

    private static final long NONE = DtlsSession.NO_TIMEOUT;

    private final DtlsConfig config;
    private final SslHandle handle;
    private final long initialMicros;
    private final long maxMicros;
    private long handshakeDeadline = NONE;
    private long flightDeadline = NONE;

    HandshakeTimers(DtlsConfig config, SslHandle handle) {
        this.config = config;
        this.handle = handle;
        this.initialMicros = Math.max(1, config.initialRetransmitTimeout().toNanos() / 1000);
        this.maxMicros = Math.max(initialMicros, Math.min(0xffff_ffffL, config.maxRetransmitTimeout().toNanos() / 1000));
    }

    /** For OpenSSL's timer callback: the next retransmission interval after {@code previous}. */
    long nextTimerMicros(long previous) {
        return previous == 0 ? initialMicros : Math.min(previous * 2, maxMicros);
    }

    /** The handshake's clock starts now. */
    void startHandshake() {
        handshakeDeadline = System.nanoTime() + config.handshakeTimeout().toNanos();
    }

    /** The earlier of the two deadlines. */
    long next() {
        if (flightDeadline == NONE) {
            return handshakeDeadline;
        }
        if (handshakeDeadline == NONE) {
            return flightDeadline;
        }
        return flightDeadline - handshakeDeadline < 0 ? flightDeadline : handshakeDeadline;
    }

    boolean handshakeExpired(long now) {
        return handshakeDeadline != NONE && now - handshakeDeadline >= 0;
    }

    boolean flightDue(long now) {
        return flightDeadline != NONE && now - flightDeadline >= 0;
    }

    /** OpenSSL has handled its timeout; its next deadline is read afresh. */
    void flightHandled() {
        flightDeadline = NONE;
    }

    /** Reads OpenSSL's retransmission deadline after a call; none unless {@code handshaking}. */
    void readFlightDeadline(boolean handshaking) {
        if (!handshaking) {
            flightDeadline = NONE;
            return;
        }
        if (LibSsl.SSL_ctrl(handle.ssl, LibSsl.DTLS_CTRL_GET_TIMEOUT, 0, handle.timeval) <= 0) {
            flightDeadline = NONE;
            return;
        }
        long remaining = handle.timeval.getLong(0) * 1_000_000_000L + handle.timeval.getLong(8) * 1_000L;
        long now = System.nanoTime();
        if (remaining > 0) {
            flightDeadline = now + remaining;
        } else if (flightDeadline == NONE) {
            // OpenSSL reports under 15 ms as 0: due now
            flightDeadline = now;
        }
    }

    /** Both clocks stop (the handshake ended). */
    void stop() {
        flightDeadline = NONE;
        handshakeDeadline = NONE;
    }
}
