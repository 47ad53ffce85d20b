package org.dtls4j.tck;

import java.util.Optional;

/**
 * Pairs of providers that cannot work together in a given setting, and why: recorded once,
 * reported as skips with this reason (never as passes), and listed in the closing notes so
 * they get fixed rather than forgotten. Used by the interop matrix and {@code dtls4j interop}.
 *
 * @since 0.1
 */
public final class KnownIncompatibilities {

    /**
     * Behind the api's listener a JSSE server session answers the ClientHello that carries the
     * listener's cookie with a second HelloVerifyRequest of its own (JSSE always runs its own
     * cookie exchange), and then numbers its ServerHello message_seq 2. bctls 1.84's client
     * resets the message_seq it expects to 1 after every HelloVerifyRequest
     * ({@code DTLSReliableHandshake.resetAfterHelloVerifyRequestClient}) and so waits forever.
     * message_seq is part of the Finished hash, so nothing in between can renumber it.
     */
    public static final String BC_CLIENT_JSSE_SERVER_BEHIND_LISTENER =
            "a JSSE server behind the listener sends a second HelloVerifyRequest and numbers its ServerHello 2;"
            + " a BouncyCastle 1.84 client then expects message_seq 1 and never completes";

    private KnownIncompatibilities() {
    }

    /** Why {@code client} cannot reach {@code server} through the UDP listener, if it cannot. */
    public static Optional<String> overTheListener(String client, String server) {
        return client.equals("bouncycastle") && server.equals("jsse")
                ? Optional.of(BC_CLIENT_JSSE_SERVER_BEHIND_LISTENER) : Optional.empty();
    }
}
