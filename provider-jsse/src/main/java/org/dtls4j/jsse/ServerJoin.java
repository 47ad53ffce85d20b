package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;
import org.dtls4j.spi.ClientHelloReassembly;
import org.dtls4j.spi.DtlsRecords;

/**
 * A server session's front door after the listener's stateless cookie exchange: collects
 * the client's first ClientHello (all its fragments, {@link ClientHelloReassembly}) and,
 * once it is whole, primes a fresh engine with the client's earlier cookie-less
 * ClientHellos ({@link ClientHelloRewriter}) so that JSSE continues the handshake from the
 * one the listener verified. See the provider's design notes for why JSSE needs this.
 *
 * <p>Not thread-safe: part of one {@link JsseSession}, used on its caller's thread.
 */
final class ServerJoin {

    private static final System.Logger LOG = System.getLogger(JsseSession.class.getName());

    /** What {@link #add} made of a datagram. */
    enum Step {
        /** Nothing of the ClientHello: the engine could not use it either. */
        DROP,
        /** Held back: the engine cannot be primed before the message is whole. */
        WAIT,
        /** The ClientHello is whole: {@link #primeEngine} next. */
        READY
    }

    /**
     * The first ClientHello while its fragments arrive, when it is one that follows a
     * HelloVerifyRequest (message_seq above 0); null otherwise and once it is whole.
     */
    private ClientHelloReassembly joining;

    /**
     * Starts from a server's first datagram; joins only if it is a ClientHello after a cookie
     * exchange and really holds a fragment of it (one whose fragment runs past its record joins
     * nothing: it would leave the session waiting for a message that never comes).
     */
    void start(ByteBuffer firstDatagram) {
        joining = ClientHelloReassembly.start(firstDatagram).filter(r -> r.add(firstDatagram)).orElse(null);
    }

    /** Whether a ClientHello is being collected. */
    boolean active() {
        return joining != null;
    }

    Step add(ByteBuffer datagram) {
        if (!joining.add(datagram)) {
            return Step.DROP;
        }
        return joining.isComplete() ? Step.READY : Step.WAIT;
    }

    /**
     * Primes the engine with the cookie-less copies of the whole ClientHello, whose answers
     * are not sent, and numbers this side's epoch-0 records above it.
     *
     * @return the whole ClientHello, as one record, for the engine to read next
     */
    ByteBuffer primeEngine(EngineDriver io, FlightOutput output, RecordGate gate) throws SSLException {
        ByteBuffer hello = joining.record();
        joining = null;
        output.numberEpochZeroFrom(DtlsRecords.sequenceNumber(hello, hello.position()) + 1);
        for (ByteBuffer synthetic : ClientHelloRewriter.earlierHellos(hello)) {
            output.suppress(true);
            try {
                io.advance();
                io.unwrap(synthetic.duplicate());
                io.advance();
                gate.primedWith(synthetic);
            } finally {
                output.suppress(false);
            }
            LOG.log(System.Logger.Level.TRACE, "primed the engine with a cookie-less ClientHello");
        }
        return hello;
    }

    void forget() {
        joining = null;
    }
}
