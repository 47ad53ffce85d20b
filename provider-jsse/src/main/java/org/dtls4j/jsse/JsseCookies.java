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
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecords;

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
 * HelloVerifyRequest and never starts a key exchange. The listener has only the first
 * fragment of a ClientHello the client fragmented (a large one, with post-quantum key shares,
 * or at a small datagram size); JDK 17's cookie covers only client_version, random,
 * session_id, cipher_suites and compression_methods, not the extensions (checked by
 * {@code JsseCookiesTest}), and those fields lie in the first fragment, so the engine is
 * given a ClientHello made of them alone ({@link ClientHelloRewriter#fixedFieldsOnly}) and
 * answers with the cookie it will accept in the whole one. A ClientHello that JSSE refuses
 * gets no cookie: the listener then sends its own, and the session runs JSSE's exchange
 * after it ({@link ClientHelloRewriter#withoutCookie}).
 *
 * <p>Thread-safe: every call makes its own engine and keeps nothing per client; each
 * calling thread reuses two buffers and a ClientHello reader of its own.
 */
final class JsseCookies implements BackendCookies {

    /** Far more engine steps than a HelloVerifyRequest needs. */
    private static final int MAX_STEPS = 8;
    /** version (2) + cookie length (1): the start of a HelloVerifyRequest body. */
    private static final int COOKIE_LENGTH_AT = DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 2;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLContext context;
    private final Supplier<SSLParameters> parameters;
    /**
     * Per calling thread (in practice the listener's receive thread), the buffers a
     * throwaway engine reads into and writes to: this runs for every cookie-less
     * ClientHello, and two fresh buffers of about 16 KiB each were most of its garbage.
     */
    private final ThreadLocal<ByteBuffer[]> scratch = new ThreadLocal<>();
    /** Per calling thread, the reader of a fragmented ClientHello's first fragment. */
    private final ThreadLocal<ClientHellos> readers = ThreadLocal.withInitial(ClientHellos::new);

    JsseCookies(SSLContext context, Supplier<SSLParameters> parameters) {
        this.context = context;
        this.parameters = parameters;
    }

    @Override
    public Optional<byte[]> cookieFor(ByteBuffer clientHello) {
        ByteBuffer first = ClientHelloRewriter.asFirstHello(clientHello);
        if (first == null) {
            ClientHellos reader = readers.get();
            if (reader.read(clientHello) != ClientHellos.Verdict.CLIENT_HELLO) {
                return Optional.empty();
            }
            first = ClientHelloRewriter.fixedFieldsOnly(clientHello, reader);
        }
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters.get());
        try {
            engine.beginHandshake();
            ByteBuffer[] buffers = buffers(engine);
            engine.unwrap(first, buffers[0].clear());
            ByteBuffer out = buffers[1].clear();
            for (int i = 0; i < MAX_STEPS && out.position() == 0; i++) {
                runTasks(engine);
                if (engine.wrap(EMPTY, out).getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
            }
            return cookieOf(out.flip());
        } catch (SSLException | RuntimeException refused) {
            return Optional.empty(); // the session would refuse this ClientHello as well
        }
    }

    /** This thread's plaintext and record buffers, large enough for {@code engine}. */
    private ByteBuffer[] buffers(SSLEngine engine) {
        ByteBuffer[] b = scratch.get();
        int app = engine.getSession().getApplicationBufferSize();
        int packet = engine.getSession().getPacketBufferSize();
        if (b == null || b[0].capacity() < app || b[1].capacity() < packet) {
            b = new ByteBuffer[] {ByteBuffer.allocate(app), ByteBuffer.allocate(packet)};
            scratch.set(b);
        }
        return b;
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
