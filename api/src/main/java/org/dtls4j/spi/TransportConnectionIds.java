package org.dtls4j.spi;

import java.net.InetSocketAddress;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;

/**
 * A context whose server sessions take the connection ID they ask their clients to use
 * (RFC 9146) from the transport, instead of drawing one themselves.
 *
 * <p>The api's listener routes a record that carries a connection ID to the session that
 * handed it out, whatever address the record comes from, so the connection IDs of one
 * listener's live sessions must differ. The listener issues them: it draws each from a
 * {@link java.security.SecureRandom} (never a counter, so a third party cannot guess a live
 * one and aim records at it), of {@code DtlsConfig.connectionIdLength()} bytes, and keeps it
 * only while no other live session holds it. A context that implements this interface is
 * given that connection ID; one that does not draws its own, and the listener checks it when
 * the handshake completes: a connection ID another live session already holds is then not
 * routed (its records still reach the session by address, until the peer's address changes).
 *
 * <p>Like {@link BackendCookies}, the {@link org.dtls4j.DtlsContext} itself implements it and
 * the listener looks for it with {@code instanceof} when it binds. Thread-safe.
 *
 * @since 0.2
 */
public interface TransportConnectionIds {

    /**
     * A new server session for the client at {@code peer} that asks its client for
     * {@code connectionId}, exactly, whenever the client offers connection IDs.
     *
     * @param connectionId {@code DtlsConfig.connectionIdLength()} bytes; the session may keep
     *        the array
     * @param peer the client's address
     * @param listener told of the session's output, timer, handshake completion, records and
     *     failure
     * @return a session in state {@link org.dtls4j.DtlsSessionState#NEW}, waiting for the client's
     *     ClientHello
     * @throws org.dtls4j.DtlsConfigurationException as {@code DtlsContext.newServerSession} does
     * @throws IllegalArgumentException if the connection ID's length is not the configured one
     */
    DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener, byte[] connectionId);
}
