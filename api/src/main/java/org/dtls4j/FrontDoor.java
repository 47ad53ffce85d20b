package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.ClientHellos.Verdict;
import org.dtls4j.spi.HelloRetryCookies.ReturnedCookie;

/**
 * The listener's stateless front door on one socket: reads what comes from a peer without a
 * session, answers a ClientHello without a valid cookie (a HelloVerifyRequest, or in DTLS 1.3
 * the backend's HelloRetryRequest), drops what is no ClientHello, and lets through a ClientHello
 * whose cookie verifies. Nothing is kept per client but the fragments of a cookie-less 1.3
 * ClientHello, in a small bounded table ({@link HeldHellos}).
 *
 * <p>Each of a listener's sockets has its own front door, on the thread that reads it; all of
 * them share the listener's {@link ListenerCookies}, so a cookie minted on one socket verifies
 * on any (the authority's secret and the backend's cookie keys are the context's, not a
 * socket's). Not thread-safe: confined to its socket's reading thread.
 */
final class FrontDoor {

    private final DatagramOutput output;
    private final ListenerCookies cookies;
    private final Counters counters;
    /** Whether the context's config includes DTLS 1.3, so a 1.3 ClientHello takes the 1.3 exchange. */
    private final boolean acceptsDtls13;
    private final ClientHellos hellos = new ClientHellos();
    private final HeldHellos held = new HeldHellos(System::nanoTime);
    private final ByteBuffer out = ByteBuffer.allocate(512);

    /**
     * @param output the socket this front door answers on
     * @param cookies the listener's cookies, shared by all its sockets
     * @param counters the listener's counters
     * @param acceptsDtls13 whether the context's configuration includes DTLS 1.3
     */
    FrontDoor(DatagramOutput output, ListenerCookies cookies, Counters counters, boolean acceptsDtls13) {
        this.output = output;
        this.cookies = cookies;
        this.counters = counters;
        this.acceptsDtls13 = acceptsDtls13;
    }

    /**
     * Reads a datagram from a peer without a session (or a new ClientHello from an established
     * one): answers or drops it, counting why, unless it holds a ClientHello whose cookie
     * verifies.
     *
     * @return the ClientHello to start a session with (the datagram itself, or the whole
     *         message of a fragmented one), or null when nothing may start
     */
    ByteBuffer admit(ByteBuffer datagram, InetSocketAddress from) {
        Verdict v = hellos.read(datagram);
        if (v == Verdict.NOT_FIRST_FRAGMENT && held.holds(from)) {
            HeldHellos.Whole whole = held.add(from, datagram).orElse(null);
            if (whole == null || hellos.read(whole.record()) != Verdict.CLIENT_HELLO) {
                return null;
            }
            return verified(whole.record(), whole.received(), from) ? whole.record() : null;
        }
        if (v != Verdict.CLIENT_HELLO) {
            counters.drop(dropReason(v));
            return null;
        }
        if (acceptsDtls13 && heldUntilWhole(datagram, from)) {
            return null;
        }
        return verified(datagram, datagram.remaining(), from) ? datagram : null;
    }

    /**
     * Whether the ClientHello {@link #hellos} has just read from {@code hello}, which came in
     * {@code received} bytes, returns a cookie that verifies; if not, answers it.
     */
    private boolean verified(ByteBuffer hello, int received, InetSocketAddress from) {
        boolean ok = hellos.offersDtls13() && acceptsDtls13 ? verifiedRetry(hello, received, from)
                : verifiedCookie(hello, from, hellos.parameters());
        if (ok) {
            counters.inc(Counter.COOKIES_VERIFIED);
        }
        return ok;
    }

    /**
     * Holds a fragmented cookie-less ClientHello that offers DTLS 1.3, or may in extensions its
     * first fragment does not show, until it is whole ({@link HeldHellos}): a 1.3 backend can
     * answer only the whole message, whose hash its cookie carries.
     *
     * @return whether it is held (or dropped as malformed)
     */
    private boolean heldUntilWhole(ByteBuffer datagram, InetSocketAddress from) {
        if (!hellos.isFragmented() || hellos.hasCookie() || (hellos.sawAllExtensions()
                && (!hellos.offersDtls13() || cookies.returnedCookie(from, datagram.duplicate()) != ReturnedCookie.ABSENT))) {
            return false;
        }
        long evicted = held.evicted();
        if (!held.start(from, datagram)) {
            counters.drop(DropReason.MALFORMED);
        } else if (held.evicted() != evicted) {
            counters.drop(DropReason.HELD_HELLO_EVICTED);
        }
        return true;
    }

    /**
     * The DTLS 1.0/1.2 exchange: whether the ClientHello's cookie verifies; if not, answers it
     * with a HelloVerifyRequest. A client that offers 1.3 too gets here from a server configured
     * without 1.3, and continues in 1.2 (RFC 9147 section 5.3 allows it).
     */
    private boolean verifiedCookie(ByteBuffer datagram, InetSocketAddress from, ByteBuffer params) {
        byte[] cookie = hellos.hasCookie() ? hellos.cookie(datagram) : null;
        if (cookie != null && cookies.accepts(from, params, cookie)) {
            return true;
        }
        if (cookie != null) {
            TransportEvents.cookieRejected(from, false);
            counters.inc(Counter.COOKIES_REJECTED);
        }
        sendHelloVerifyRequest(cookies.issue(from, params, datagram), from);
        return false;
    }

    /**
     * The DTLS 1.3 exchange, for a ClientHello that offers 1.3 to a server configured for it:
     * whether it returns a backend cookie that verifies for {@code from}. A cookie-less one (whole:
     * {@link #heldUntilWhole}) is answered with the backend's HelloRetryRequest, or dropped
     * where the backend makes none;
     * one with a bad cookie is dropped, not answered: a 1.3 client aborts on a second
     * HelloRetryRequest (RFC 8446 section 4.1.4), so a new one could not help it.
     */
    private boolean verifiedRetry(ByteBuffer hello, int received, InetSocketAddress from) {
        if (!cookies.retries()) {
            counters.drop(DropReason.NO_HELLO_RETRY);
            return false;
        }
        ReturnedCookie returned = cookies.returnedCookie(from, hello.duplicate());
        if (returned == ReturnedCookie.VALID) {
            return true;
        }
        if (returned == ReturnedCookie.INVALID) {
            TransportEvents.cookieRejected(from, true);
            counters.inc(Counter.COOKIES_REJECTED);
            return false;
        }
        answerRetry(hello.duplicate(), received, from);
        return false;
    }

    /**
     * Sends the backend's HelloRetryRequest for a whole cookie-less DTLS 1.3 ClientHello that
     * came in {@code budget} bytes, or drops it where the backend makes none or would amplify.
     */
    private void answerRetry(ByteBuffer hello, int budget, InetSocketAddress from) {
        List<ByteBuffer> answer = cookies.helloRetryRequest(from, hello);
        int total = 0;
        for (ByteBuffer d : answer) {
            total += d.remaining();
        }
        if (answer.isEmpty()) {
            counters.drop(DropReason.NO_HELLO_RETRY);
        } else if (total > budget) {
            counters.drop(DropReason.AMPLIFICATION);
        } else {
            for (ByteBuffer d : answer) {
                sendCookie(d, from);
            }
        }
    }

    /**
     * Why a datagram the ClientHello reader turned down is dropped. A switch, so that a new
     * verdict does not compile until it has a reason, and renaming either side cannot make
     * the receive path throw.
     *
     * @throws IllegalArgumentException for {@link Verdict#CLIENT_HELLO}, which is not a drop
     */
    static DropReason dropReason(Verdict v) {
        return switch (v) {
            case MALFORMED -> DropReason.MALFORMED;
            case NOT_HANDSHAKE -> DropReason.NOT_HANDSHAKE;
            case BAD_VERSION -> DropReason.BAD_VERSION;
            case NOT_EPOCH_ZERO -> DropReason.NOT_EPOCH_ZERO;
            case NOT_CLIENT_HELLO -> DropReason.NOT_CLIENT_HELLO;
            case NOT_FIRST_FRAGMENT -> DropReason.NOT_FIRST_FRAGMENT;
            case TRUNCATED -> DropReason.TRUNCATED;
            case MESSAGE_SEQ_TOO_HIGH -> DropReason.MESSAGE_SEQ_TOO_HIGH;
            case CLIENT_HELLO -> throw new IllegalArgumentException("a ClientHello is not dropped");
        };
    }

    private void sendHelloVerifyRequest(byte[] cookie, InetSocketAddress to) {
        if (!hellos.writeHelloVerifyRequest(cookie, out)) {
            counters.drop(DropReason.AMPLIFICATION);
            return;
        }
        sendCookie(out, to);
    }

    /** Sends a datagram that carries a cookie (a HelloVerifyRequest or HelloRetryRequest). */
    private void sendCookie(ByteBuffer datagram, InetSocketAddress to) {
        try {
            if (output.send(datagram, to) > 0) {
                counters.inc(Counter.COOKIES_SENT);
                counters.inc(Counter.DATAGRAMS_OUT);
            } else {
                counters.drop(DropReason.SEND_BUFFER_FULL);
            }
        } catch (IOException e) {
            counters.drop(DropReason.SEND_BUFFER_FULL);
        }
    }
}
