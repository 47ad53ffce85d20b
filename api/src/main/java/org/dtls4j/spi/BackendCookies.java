package org.dtls4j.spi;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The cookies of a backend that accepts no cookie but its own in a ClientHello.
 *
 * <p>The api's listener answers a cookie-less ClientHello statelessly with a
 * HelloVerifyRequest and creates a server session only for a ClientHello whose cookie it
 * verifies. A backend that checks cookies itself and cannot be given the listener's
 * (JSSE: every new handshake runs its own exchange, against a secret of its own) would
 * answer that ClientHello with a second HelloVerifyRequest. Two exchanges cost a round
 * trip, and they break clients that expect ServerHello message_seq 1 after any
 * HelloVerifyRequest (bctls), because a backend that has answered two ClientHellos
 * numbers its ServerHello 2.
 *
 * <p>A {@link org.dtls4j.DtlsContext} whose backend does so implements this interface, and the
 * listener checks for it with {@code instanceof} when it binds. It is the context itself, not
 * a separate object it returns, because whether a backend insists on its own cookies is a
 * fixed fact of the context: there is nothing to look up, and no user-facing method is needed
 * for listener plumbing (which kept {@code org.dtls4j} and {@code org.dtls4j.spi} depending on
 * each other).
 *
 * <p>With this, a context's backend makes the cookie the listener sends, so there is one
 * exchange on the wire. The listener still decides who gets a session: it keeps, for a
 * bounded number of recent exchanges, its own cookie (from the configured
 * {@link org.dtls4j.CookieAuthority}) under the backend's, and accepts the backend's
 * cookie only from the address it was sent to, with the same ClientHello parameters,
 * within the authority's age limit.
 *
 * <p>Implementations are called from the listener's receive thread for every cookie-less
 * ClientHello, so they must be thread-safe, keep nothing per client, and be cheap: they
 * are the cost of answering a flood.
 *
 * @since 0.1
 */
public interface BackendCookies {

    /**
     * The cookie the backend will accept in the ClientHello that follows a
     * HelloVerifyRequest answering {@code clientHello}.
     *
     * <p>The listener is stateless: for a ClientHello that the client fragmented (a large one,
     * or a small datagram size) it has only the datagram with the first fragment, and it
     * answers that datagram. A backend whose cookie covers only the fields the listener
     * itself binds ({@link ClientHellos#parameters()}: client_version, random, session_id,
     * cipher_suites, compression_methods, all within the first fragment) makes its cookie
     * from them; an empty answer costs a client with a fragmented ClientHello a second
     * exchange, which bctls and BoringSSL clients cannot follow.
     *
     * @param clientHello a datagram whose first record holds the start of a ClientHello (its
     *        first fragment, or the whole message), read from position to limit and not
     *        consumed; its cookie, if any, is to be ignored
     * @return the cookie, at most 255 bytes; empty if the backend cannot make one for
     *         this ClientHello, and the listener then uses its own
     */
    Optional<byte[]> cookieFor(ByteBuffer clientHello);
}
