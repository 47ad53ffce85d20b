package org.dtls4j.spi;

import java.time.Duration;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;

/**
 * The RFC 6347 section 4.2.4.1 timer of one handshake: each new flight waits the initial
 * interval, every retransmission doubles it up to the maximum, and the whole handshake
 * has a total deadline. Providers whose backend leaves timing to the caller (JSSE,
 * OpenSSL) use it to implement {@link DtlsSession#nextTimeout()}.
 *
 * <p>Times are {@link System#nanoTime()} values. Not thread-safe.
 *
 * @since 0.1
 */
public final class RetransmissionTimer {

    private final long initialNanos;
    private final long maxNanos;
    private final long handshakeNanos;

    private long handshakeDeadline = DtlsSession.NO_TIMEOUT;
    private long flightDeadline = DtlsSession.NO_TIMEOUT;
    private long interval;

    /**
     * A timer with the configuration's retransmission intervals and handshake timeout.
     *
     * @param config the configuration to read
     */
    public RetransmissionTimer(DtlsConfig config) {
        this(config.initialRetransmitTimeout(), config.maxRetransmitTimeout(), config.handshakeTimeout());
    }

    /**
     * A timer with explicit intervals: {@code initial} and {@code max} for a flight, {@code
     * handshake} in total.
     *
     * @param initial the first retransmission interval of a flight
     * @param max the cap on the doubling interval
     * @param handshake the total time a handshake may take
     */
    public RetransmissionTimer(Duration initial, Duration max, Duration handshake) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.handshakeNanos = handshake.toNanos();
        this.interval = initialNanos;
    }

    /**
     * The handshake starts now: its total deadline is set.
     *
     * @param now the time, as a {@link System#nanoTime()} value
     */
    public void startHandshake(long now) {
        handshakeDeadline = now + handshakeNanos;
    }

    /**
     * A new flight was just sent: wait the initial interval for the peer's answer.
     *
     * @param now the time, as a {@link System#nanoTime()} value
     */
    public void flightSent(long now) {
        interval = initialNanos;
        flightDeadline = now + interval;
    }

    /**
     * The flight was just retransmitted: double the interval, up to the maximum.
     *
     * @param now the time, as a {@link System#nanoTime()} value
     */
    public void retransmitted(long now) {
        interval = Math.min(interval * 2, maxNanos);
        flightDeadline = now + interval;
    }

    /** The peer answered the flight (or the last flight needs no timer): stop waiting. */
    public void flightAnswered() {
        flightDeadline = DtlsSession.NO_TIMEOUT;
    }

    /** The handshake completed: nothing is timed any more. */
    public void stop() {
        flightDeadline = DtlsSession.NO_TIMEOUT;
        handshakeDeadline = DtlsSession.NO_TIMEOUT;
    }

    /**
     * {@return the earlier of the flight's and the handshake's deadline, or {@link DtlsSession#NO_TIMEOUT}}
     */
    public long nextTimeout() {
        if (flightDeadline == DtlsSession.NO_TIMEOUT) {
            return handshakeDeadline;
        }
        if (handshakeDeadline == DtlsSession.NO_TIMEOUT) {
            return flightDeadline;
        }
        return flightDeadline - handshakeDeadline < 0 ? flightDeadline : handshakeDeadline;
    }

    /**
     * {@return whether the handshake's total time has run out at {@code now}}
     *
     * @param now the time, as a {@link System#nanoTime()} value
     */
    public boolean handshakeExpired(long now) {
        return handshakeDeadline != DtlsSession.NO_TIMEOUT && now - handshakeDeadline >= 0;
    }

    /**
     * {@return whether the flight's retransmission is due at {@code now}}
     *
     * @param now the time, as a {@link System#nanoTime()} value
     */
    public boolean flightExpired(long now) {
        return flightDeadline != DtlsSession.NO_TIMEOUT && now - flightDeadline >= 0;
    }

    /** {@return the interval the current flight waits} */
    public Duration currentInterval() {
        return Duration.ofNanos(interval);
    }
}
