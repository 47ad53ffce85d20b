package org.dtls4j.netty;

import java.util.Objects;
import java.util.Optional;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsException;

/**
 * A user event a DTLS handler fires down the pipeline when a peer's connection is made or ends.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what happened
 * @param connection the peer's connection: its address, negotiated parameters and counters
 * @param failure why it failed, for {@link Kind#FAILED}; empty otherwise
 * @since 0.1
 */
public record DtlsPeerEvent(Kind kind, DtlsConnection connection, Optional<DtlsException> failure) {

    /** What happened to a peer's connection. */
    public enum Kind {
        /** The handshake completed: records flow from now on. */
        CONNECTED,
        /** The peer sent close_notify, or the connection was closed or expired. */
        CLOSED,
        /** The connection failed (an alert, or a timeout). */
        FAILED
    }

    /**
     * Checks the components.
     *
     * @param kind what happened
     * @param connection the peer's connection
     * @param failure why it failed, for {@link Kind#FAILED}
     */
    public DtlsPeerEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(failure, "failure");
    }
}
