package org.dtls4j.bouncycastle;

import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSession;

/**
 * When an established BouncyCastle session must next let {@code DTLSTransport.receive} run
 * with nothing queued: BouncyCastle's heartbeat timers (RFC 6520) only run inside it, so
 * with heartbeats on the session looks at them well within their shortest interval.
 *
 * <p>Thread-safe: read by the driver from any thread, moved under the session's lock.
 */
final class HeartbeatClock {

    private final boolean on;
    private final long checkNanos;
    private volatile long nextCheck = DtlsSession.NO_TIMEOUT;

    HeartbeatClock(DtlsConfig config) {
        this.on = config.heartbeat();
        long shortest = Math.min(config.initialRetransmitTimeout().toNanos(),
                Math.min(config.heartbeatInterval().toNanos(), config.heartbeatTimeout().toNanos()));
        this.checkNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), shortest / 2);
    }

    /** BouncyCastle has just run its timers: the next look is one check interval away. */
    void read() {
        if (on) {
            nextCheck = System.nanoTime() + checkNanos;
        }
    }

    /** The next look, or {@link DtlsSession#NO_TIMEOUT} without heartbeats. */
    long next() {
        return on ? nextCheck : DtlsSession.NO_TIMEOUT;
    }

    /** Whether a look is due now. */
    boolean due() {
        return on && System.nanoTime() - nextCheck >= 0;
    }
}
