package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.dtls4j.spi.BackendCookies;

/**
 * JSSE's own cookies, for the api's listener ({@link BackendCookies}).
 *
 * <p>JDK 17's DTLS server runs a cookie exchange for every new handshake and accepts only
 * cookies made with its {@code SSLContext}'s secret (a SHA-256 over the ClientHello and
 * that secret). So the listener's HelloVerifyRequest carries the cookie a throwaway server
 * engine of the same context answers the ClientHello with. The session created when that
 * cookie comes back shares the secret: JSSE accepts the ClientHello and answers with a
 * ServerHello numbered 1, as after any single exchange, and the client sees one
 * HelloVerifyRequest, not two.
 *
 * <p>The engine is given the ClientHello without its cookie ({@link ClientHelloRewriter#asFirstHello}),
 * so whatever a client puts there, a throwaway engine only ever answers with a
 * HelloVerifyRequest and never starts a key exchange. A ClientHello that is fragmented, or
 * that JSSE refuses, gets no cookie here: the listener then sends its own, and the session
 * runs JSSE's exchange after it ({@link ClientHelloRewriter#withoutCookie}).
 *
 * <p>Thread-safe: every call makes its own engine and keeps nothing.
 */
final class JsseCookies implements BackendCookies {

    /** Far more engine steps than a HelloVerifyRequest needs. */
    private static final int MAX_STEPS = 8;
    /** version (2) + cookie length (1): the start of a HelloVerifyRequest body. */
    private static final int COOKIE_LENGTH_AT = DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 2;

    private final SSLContext context;
    private final Supplier<SSLParameters> parameters;

    JsseCookies(SSLContext context, Supplier<SSLParameters> parameters) {
        this.context = context;
        this.parameters = parameters;
    }

    @Override
    public Optional<byte[]> cookieFor(ByteBuffer clientHello) {
        ByteBuffer first = ClientHelloRewriter.asFirstHello(clientHello);
        if (first == null) {
            return Optional.empty();
        }
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters.get());
        try {
            engine.beginHandshake();
            engine.unwrap(first, ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            for (int i = 0; i < MAX_STEPS && out.position() == 0; i++) {
                runTasks(engine);
                if (engine.wrap(ByteBuffer.allocate(0), out).getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
            }
            return cookieOf(out.flip());
        } catch (SSLException | RuntimeException refused) {
            return Optional.empty(); // the session would refuse this ClientHello as well
        }
    }

    /** The cookie of the HelloVerifyRequest in {@code datagram}'s first record, if that is one. */
    static Optional<byte[]> cookieOf(ByteBuffer datagram) {
        int record = datagram.position();
        if (DtlsRecords.plaintextHandshakeType(datagram, record) != DtlsRecords.HELLO_VERIFY_REQUEST
                || datagram.limit() - record <= COOKIE_LENGTH_AT) {
            return Optional.empty();
        }
        int length = datagram.get(record + COOKIE_LENGTH_AT) & 0xff;
        int at = record + COOKIE_LENGTH_AT + 1;
        if (length == 0 || at + length > datagram.limit()) {
            return Optional.empty();
        }
        byte[] cookie = new byte[length];
        datagram.get(at, cookie);
        return Optional.of(cookie);
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
