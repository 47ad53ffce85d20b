package org.dtls4j.spi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The stateless DTLS 1.3 cookie exchange of a backend: its HelloRetryRequest, and the check of
 * the cookie a client returns in it.
 *
 * <p>In DTLS 1.3 the cookie travels in a HelloRetryRequest (RFC 9147 section 5.1), and the
 * server rebuilds its transcript from the cookie when the client returns it (RFC 8446 section
 * 4.4.1), so only the backend can mint a cookie it will later accept. The listener still decides
 * who gets a session: it hands the backend a <em>binding</em> (its
 * {@link org.dtls4j.CookieAuthority}'s cookie over the client's address and ClientHello
 * parameters), the backend carries it inside its own integrity-protected cookie, and when the
 * client returns, the listener verifies the binding for the address the datagram came from,
 * within the authority's age limit. No state is kept per client on either side.
 *
 * <p>A {@link org.dtls4j.DtlsContext} whose backend speaks DTLS 1.3 implements this interface,
 * and the listener checks for it with {@code instanceof} when it binds, as for
 * {@link BackendCookies}. Until a context implements it, a server configured for DTLS 1.3
 * drops a ClientHello that offers 1.3 (counted as
 * {@link org.dtls4j.TransportStats.DropReason#NO_HELLO_RETRY}); a client that also offers 1.2
 * to a server configured for 1.2 only gets a HelloVerifyRequest and continues in 1.2.
 *
 * <p>Implementations are called from the listener's receive thread for every DTLS 1.3
 * ClientHello that has no verified cookie, so they must be thread-safe, keep nothing per
 * client, and be cheap.
 *
 * @since 0.1
 */
public interface HelloRetryCookies {

    /**
     * The backend's stateless HelloRetryRequest answering {@code clientHello}, with a cookie
     * that carries {@code binding}.
     *
     * @param clientHello a datagram whose first record holds the start of a ClientHello that
     *        offers DTLS 1.3, read from position to limit and not consumed
     * @param binding at most 32 bytes the cookie must carry unchanged and protect
     * @return the datagrams to send, in order, each from position to limit; empty if the
     *         backend cannot answer this ClientHello statelessly (the listener then drops it)
     */
    List<ByteBuffer> helloRetryRequest(ByteBuffer clientHello, byte[] binding);

    /**
     * The binding carried by the cookie of {@code clientHello}, if the backend made that
     * cookie and it is intact.
     *
     * @param clientHello a datagram as for {@link #helloRetryRequest}, not consumed
     * @return the binding given to {@link #helloRetryRequest}; empty if the ClientHello has no
     *         cookie, or one the backend did not make or that was altered
     */
    Optional<byte[]> binding(ByteBuffer clientHello);
}
