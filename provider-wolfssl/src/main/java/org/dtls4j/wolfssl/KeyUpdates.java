package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.util.Optional;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.RetransmissionTimer;

/**
 * The DTLS 1.3 handshake messages of an established session (KeyUpdate, the peer's KeyUpdate
 * answered, their ACKs, RFC 9147 sections 7 and 8) on our clock. wolfSSL sends them from
 * {@code wolfSSL_update_keys} and {@code wolfSSL_read}, but leaves their ACKs and their
 * retransmission to {@code wolfSSL_dtls_got_timeout}, which a non-blocking caller must call:
 * without it an ACK never goes out, and the side that sent a KeyUpdate waits for one forever
 * with its old sending keys ({@code dtls13WaitKeyUpdateAck}).
 *
 * <p>So: ACKs wolfSSL holds for its short timeout are sent at once, after the datagram that
 * asked for them; and whenever wolfSSL sent something on its own, the configured
 * retransmission schedule runs, each expiry resending what is not yet ACKed, until an expiry
 * sends nothing (all ACKed) or the handshake timeout has passed since it started.
 * wolfSSL itself paces resends no closer than {@code DTLS13_MIN_RTX_INTERVAL} (10 ms in our
 * build, docs/WOLFSSL.md).
 *
 * <p>Not thread-safe: its session's caller, one at a time.
 */
final class KeyUpdates {

    private final Pointer ssl;
    private final DatagramIo io;
    private final Failures failures;
    private final RetransmissionTimer timer;
    private boolean armed;

    KeyUpdates(Pointer ssl, DatagramIo io, Failures failures, DtlsConfig config) {
        this.ssl = ssl;
        this.io = io;
        this.failures = failures;
        this.timer = new RetransmissionTimer(config);
    }

    /** Asks wolfSSL for a key update (nothing more if one is under way); the failure that ends the session, if any. */
    Optional<DtlsException> request() {
        int before = io.emitted();
        int r = LibWolfSsl.wolfSSL_update_keys(ssl);
        sentSince(before);
        return r == LibWolfSsl.WOLFSSL_ERROR_WANT_WRITE ? Optional.empty() : failure(r);
    }

    /**
     * After wolfSSL read a datagram of an established session, {@code emittedBefore} being
     * {@link DatagramIo#emitted()} before: sends the ACKs it holds, and arms the schedule for
     * what it sent. Returns the failure that ends the session, if any.
     */
    Optional<DtlsException> afterRead(int emittedBefore) {
        int r = LibWolfSsl.WOLFSSL_SUCCESS;
        if (LibWolfSsl.wolfSSL_dtls13_use_quick_timeout(ssl) != 0) {
            r = LibWolfSsl.wolfSSL_dtls_got_timeout(ssl); // with the quick flag set: the ACKs, nothing resent
        }
        sentSince(emittedBefore);
        return failure(r);
    }

    /** When {@link #handleTimeout} is next due, or {@link DtlsSession#NO_TIMEOUT}. */
    long nextTimeout() {
        return armed ? timer.nextTimeout() : DtlsSession.NO_TIMEOUT;
    }

    /** At the deadline: resends what wolfSSL has not had ACKed; returns the failure that ends the session, if any. */
    Optional<DtlsException> handleTimeout(long now) {
        if (!armed || !timer.flightExpired(now)) {
            return Optional.empty();
        }
        if (timer.handshakeExpired(now)) {
            stop(); // the peer never ACKed; records still flow under the old keys
            return Optional.empty();
        }
        int before = io.emitted();
        LibWolfSsl.wolfSSL_dtls_set_timeout_init(ssl, 1); // resets wolfSSL's own doubling counter
        int r = LibWolfSsl.wolfSSL_dtls_got_timeout(ssl);
        if (io.emitted() == before) {
            stop(); // nothing left to resend
        } else {
            timer.retransmitted(System.nanoTime());
        }
        return failure(r);
    }

    void stop() {
        armed = false;
        timer.stop();
    }

    private Optional<DtlsException> failure(int r) {
        return r == LibWolfSsl.WOLFSSL_SUCCESS ? Optional.empty()
                : Optional.of(failures.failure(ssl, LibWolfSsl.wolfSSL_get_error(ssl, r)));
    }

    private void sentSince(int emittedBefore) {
        if (io.emitted() != emittedBefore) {
            long now = System.nanoTime();
            if (!armed) {
                timer.startHandshake(now);
                armed = true;
            }
            timer.flightSent(now);
        }
    }
}
