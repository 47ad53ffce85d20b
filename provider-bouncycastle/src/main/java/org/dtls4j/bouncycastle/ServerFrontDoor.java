package org.dtls4j.bouncycastle;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSRequest;
import org.dtls4j.DtlsConfig;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecords;

/**
 * A BouncyCastle server session's front door: its first ClientHello, before a handshake
 * thread runs. A cookie-less one is answered statelessly with a HelloVerifyRequest; one
 * whose cookie the configuration's {@code CookieAuthority} verifies (the listener's
 * cookie) becomes the {@code DTLSRequest} BouncyCastle continues from
 * ({@link ClientHelloRequests}); a fragmented one is reassembled first
 * ({@link HelloAssembler}).
 *
 * <p>Not thread-safe: used under its session's lock.
 */
final class ServerFrontDoor {

    /** Where a datagram to the peer (a HelloVerifyRequest) goes. */
    @FunctionalInterface
    interface Emitter {
        void emit(byte[] buf, int off, int len);
    }

    private final BcContext owner;
    private final DtlsConfig config;
    private final InetSocketAddress peer;
    private final QueueTransport transport;
    private final Emitter emitter;
    private final Runnable dropped;
    private final Consumer<DTLSRequest> accept;
    private final HelloAssembler assembler = new HelloAssembler();
    /**
     * This session's own reader: the user's {@code CookieAuthority} runs while it holds a
     * ClientHello, and nothing else may read into it meanwhile.
     */
    private final ClientHellos reader = new ClientHellos();

    /**
     * @param dropped counts a datagram of no use
     * @param accept starts the handshake from a request
     */
    ServerFrontDoor(BcContext owner, InetSocketAddress peer, QueueTransport transport, Emitter emitter, Runnable dropped,
                    Consumer<DTLSRequest> accept) {
        this.owner = owner;
        this.config = owner.config();
        this.peer = peer;
        this.transport = transport;
        this.emitter = emitter;
        this.dropped = dropped;
        this.accept = accept;
    }

    /**
     * A server's datagram before its handshake thread runs: answer a cookie-less
     * ClientHello statelessly, start the handshake from one whose cookie verifies.
     */
    void firstClientHello(byte[] d) {
        Optional<FirstClientHello> parsed = FirstClientHello.parse(d, reader);
        if (parsed.isEmpty()) {
            // a fragment of a ClientHello too big for one datagram: wait for all of it
            Optional<byte[]> whole = assembler.add(d);
            parsed = whole.flatMap(w -> FirstClientHello.parse(w, reader));
            if (parsed.isEmpty()) {
                if (whole.isEmpty() && !FirstClientHello.isFragment(d)) {
                    dropped.run();
                }
                return;
            }
            d = whole.get();
        }
        FirstClientHello hello = parsed.get();
        if (!ClientHelloRequests.available()) {
            DTLSRequest request = owner.verifier().verifyRequest(clientId(), d, 0, d.length, transport);
            if (request != null) {
                accept.accept(request);
            }
            return;
        }
        if (hello.cookie().length > 0
                && config.cookieAuthority().verify(peer, hello.parametersBuffer(), hello.cookie())) {
            Optional<DTLSRequest> request = ClientHelloRequests.of(hello);
            if (request.isPresent()) {
                accept.accept(request.get());
                return;
            }
            dropped.run(); // BouncyCastle cannot parse it
            return;
        }
        byte[] cookie = config.cookieAuthority().generate(peer, hello.parametersBuffer());
        ByteBuffer hvr = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 3 + cookie.length);
        if (reader.writeHelloVerifyRequest(cookie, hvr)) {
            emitter.emit(hvr.array(), 0, hvr.remaining());
        } else {
            dropped.run(); // answering would amplify
        }
    }

    private byte[] clientId() {
        byte[] address = peer.getAddress() == null ? new byte[0] : peer.getAddress().getAddress();
        byte[] id = new byte[address.length + 2];
        System.arraycopy(address, 0, id, 0, address.length);
        id[address.length] = (byte) (peer.getPort() >> 8);
        id[address.length + 1] = (byte) peer.getPort();
        return id;
    }
}
