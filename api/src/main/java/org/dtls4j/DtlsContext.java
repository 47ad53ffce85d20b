package org.dtls4j;

import java.net.InetSocketAddress;

/**
 * A provider's compiled form of a {@link DtlsConfig}: the {@code SSL_CTX} of OpenSSL.
 * It creates sessions of either role and holds what they share (credentials, trust,
 * session cache).
 *
 * <p>A provider's context may also implement spi interfaces that the api's transport looks
 * for (such as {@code org.dtls4j.spi.BackendCookies}); users need not know them.
 *
 * <p>Thread-safe: sessions may be created from many threads at once. A context never
 * changes after it is made.
 *
 * @since 0.1
 */
public interface DtlsContext extends AutoCloseable {

    /** {@return the name of the provider that made this context} */
    String providerName();

    /** {@return the configuration this context was made from} */
    DtlsConfig config();

    /**
     * A new client session that will talk to {@code peer}.
     *
     * @param peer the server's address; its host name is the default SNI when
     *        {@link DtlsConfig#serverName()} is empty, and the resumption cache key
     * @param listener told of the session's output, timer, handshake completion, records and
     *     failure
     * @return a session in state {@link DtlsSessionState#NEW}; {@link DtlsSession#beginHandshake()}
     *     starts it
     * @throws DtlsConfigurationException if the configuration cannot act as a client
     */
    DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener);

    /**
     * A new server session for the client at {@code peer}.
     *
     * @param peer the client's address, to which the session's datagrams go
     * @param listener told of the session's output, timer, handshake completion, records and
     *     failure
     * @return a session in state {@link DtlsSessionState#NEW}, waiting for the client's ClientHello
     * @throws DtlsConfigurationException if the configuration cannot act as a server
     *         (for example no credentials and no PSK)
     */
    DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener);

    /**
     * Releases what the context holds. Sessions already created keep working until they
     * are closed; new ones cannot be made. Idempotent.
     */
    @Override
    void close();
}
