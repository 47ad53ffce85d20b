package org.dtls4j.wolfssl;

import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;

/**
 * A wolfSSL session's two handshake clocks: the total handshake deadline, and the
 * retransmission deadline with the configured RFC 6347 schedule (initial interval,
 * doubling, capped). wolfSSL's own DTLS timer counts whole seconds
 * ({@code wolfSSL_dtls_get_current_timeout}), too coarse for the configured intervals, so
 * this clock decides when a flight is due and {@code wolfSSL_dtls_got_timeout} only resends.
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}.
 */
final class FlightTimer {

    private static final long NONE = DtlsSession.NO_TIMEOUT;

    private final DtlsConfig config;
    private final long initial;
    private final long max;
    private long interval;
    private long handshakeDeadline = NONE;
    private long flightDeadline = NONE;

    FlightTimer(DtlsConfig config) {
        this.config = config;
        this.initial = Math.max(1, config.initialRetransmitTimeout().toNanos());
        this.max = Math.max(initial, config.maxRetransmitTimeout().toNanos());
        this.interval = initial;
    }

    void startHandshake(long now) {
        handshakeDeadline = now + config.handshakeTimeout().toNanos();
    }

    /** A new flight went out: the schedule starts again. */
    void flightSent(long now) {
        interval = initial;
        flightDeadline = now + interval;
    }

    /** The flight was resent: back off. */
    void resent(long now) {
        interval = Math.min(max, interval * 2);
        flightDeadline = now + interval;
    }

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

    void stop() {
        handshakeDeadline = NONE;
        flightDeadline = NONE;
    }
}
