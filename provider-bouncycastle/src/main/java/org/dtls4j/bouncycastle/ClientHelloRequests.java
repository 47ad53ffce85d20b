package org.dtls4j.bouncycastle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Optional;
import org.bouncycastle.tls.ClientHello;
import org.bouncycastle.tls.DTLSRequest;

/**
 * Makes the {@link DTLSRequest} that lets {@code DTLSServerProtocol.accept(server, transport,
 * request)} continue from a ClientHello whose cookie was verified elsewhere (by the
 * listener's or this session's {@link org.dtls4j.CookieAuthority}), with no extra round trip.
 *
 * <p>{@code DTLSRequest}'s constructor is package-private in bctls 1.84, so it is called by
 * reflection: that works on the class path, and on the module path only with
 * {@code --add-opens org.bouncycastle.tls/org.bouncycastle.tls=org.dtls4j.bouncycastle}.
 * {@link #available()} says whether it works here; when it does not, sessions fall back to
 * BouncyCastle's own {@code DTLSVerifier} cookies, which bypass the configured
 * {@link org.dtls4j.CookieAuthority}. That is logged once at WARNING and reported as the
 * provider's {@link #fallbackNote() note}. Thread-safe.
 */
final class ClientHelloRequests {

    private static final System.Logger LOG = System.getLogger(ClientHelloRequests.class.getName());
    private static final Throwable DENIED;
    private static final Constructor<DTLSRequest> CONSTRUCTOR;

    static {
        Constructor<DTLSRequest> c = null;
        Throwable denied = null;
        try {
            c = DTLSRequest.class.getDeclaredConstructor(long.class, byte[].class, ClientHello.class);
            c.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            c = null;
            denied = e;
        }
        CONSTRUCTOR = c;
        DENIED = denied;
        if (denied != null) {
            LOG.log(System.Logger.Level.WARNING, note(denied), denied);
        }
    }

    private ClientHelloRequests() {
    }

    /** Whether requests can be made here. */
    static boolean available() {
        return CONSTRUCTOR != null;
    }

    /**
     * The request for this ClientHello: the record sequence exact, the handshake message
     * unchanged, and BouncyCastle's parse of it (which must see the cookie, so the parse
     * gets an output stream).
     */
    static Optional<DTLSRequest> of(FirstClientHello hello) {
        if (CONSTRUCTOR == null) {
            return Optional.empty();
        }
        byte[] m = hello.message();
        try {
            ClientHello parsed = ClientHello.parse(new ByteArrayInputStream(m, 12, m.length - 12),
                    new ByteArrayOutputStream());
            return Optional.of(CONSTRUCTOR.newInstance(hello.recordSequence(), m, parsed));
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Why server sessions here use BouncyCastle's cookies instead of the configured authority; empty if they do not. */
    static Optional<String> fallbackNote() {
        return DENIED == null ? Optional.empty() : Optional.of(note(DENIED));
    }

    /** The note for reflection refused with {@code denied}: what happens, and the flag that avoids it. */
    static String note(Throwable denied) {
        return "server cookies come from BouncyCastle's DTLSVerifier, not the configured CookieAuthority: "
                + "reflection into bctls was refused (" + denied + "); on the module path add "
                + "--add-opens org.bouncycastle.tls/org.bouncycastle.tls=org.dtls4j.bouncycastle";
    }
}
