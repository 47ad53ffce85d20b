package org.dtls4j.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The stateless DTLS 1.3 cookie exchange of a backend: its HelloRetryRequest, and the check of
 * the cookie a client returns in it.
 *
 * <p>In DTLS 1.3 the cookie travels in a HelloRetryRequest (RFC 9147 section 5.1), and the
 * server rebuilds its transcript from the cookie when the client returns it (RFC 8446 section
 * 4.4.1), so only the backend can mint a cookie it will later accept, and the cookie's format
 * is the backend's. The backend must bind it to the client's address and bound its age (the
 * listener's {@link org.dtls4j.CookieAuthority} does both for DTLS 1.2: a backend cookie should
 * expire no later than the default authority's, 60 seconds), and it must be able to check a
 * returned cookie <em>before</em> any session exists, so that the listener creates a session
 * only for a client whose cookie verifies. No state is kept per client.
 *
 * <p>A {@link org.dtls4j.DtlsContext} whose backend speaks DTLS 1.3 implements this interface,
 * and the listener checks for it with {@code instanceof} when it binds, as for
 * {@link BackendCookies}. Without it, a server configured for DTLS 1.3 drops a ClientHello that
 * offers 1.3 (counted as {@link org.dtls4j.TransportStats.DropReason#NO_HELLO_RETRY}); a client
 * that also offers 1.2 to a server configured for 1.2 only gets a HelloVerifyRequest and
 * continues in 1.2.
 *
 * <p>Implementations are called from the listener's receive thread for every DTLS 1.3
 * ClientHello that has no verified cookie, so they must be thread-safe, keep nothing per
 * client, and be cheap.
 *
 * @since 0.1
 */
public interface HelloRetryCookies {

    /** What a DTLS 1.3 ClientHello returned in its cookie extension. */
    enum ReturnedCookie {
        /** No cookie: a first ClientHello, to be answered with a HelloRetryRequest. */
        ABSENT,
        /** A cookie this backend made for this client, within its age limit. */
        VALID,
        /** A cookie this backend did not make for this client, altered, or expired. */
        INVALID
    }

    /**
     * The backend's stateless HelloRetryRequest answering {@code clientHello} from
     * {@code client}, its cookie bound to that address.
     *
     * @param clientHello a datagram whose first record holds the start of a cookie-less
     *        ClientHello that offers DTLS 1.3, read from position to limit and not consumed
     * @param client the address the datagram came from
     * @return the datagrams to send, in order, each from position to limit and owned by the
     *         caller; empty if the backend cannot answer this ClientHello statelessly (the
     *         listener then drops it)
     */
    List<ByteBuffer> helloRetryRequest(ByteBuffer clientHello, InetSocketAddress client);

    /**
     * Checks the cookie {@code clientHello} returns, for {@code client}.
     *
     * @param clientHello a datagram as for {@link #helloRetryRequest}, not consumed
     * @param client the address the datagram came from
     * @return whether the ClientHello carries a cookie, and whether this backend made it for
     *         this client within its age limit
     */
    ReturnedCookie returnedCookie(ByteBuffer clientHello, InetSocketAddress client);
}
