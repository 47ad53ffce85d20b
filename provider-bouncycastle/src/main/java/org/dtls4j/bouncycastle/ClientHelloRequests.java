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
 * BouncyCastle's own {@code DTLSVerifier} cookies. Thread-safe.
 */
final class ClientHelloRequests {

    private static final Constructor<DTLSRequest> CONSTRUCTOR = find();

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

    private static Constructor<DTLSRequest> find() {
        try {
            Constructor<DTLSRequest> c = DTLSRequest.class.getDeclaredConstructor(long.class, byte[].class, ClientHello.class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException denied) {
            return null;
        }
    }
}
