package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.dtls4j.spi.ClientHelloReassembly;

/**
 * Holds back the fragments of a server session's first ClientHello until they are whole.
 * wolfSSL 5.9.2 ignores every fragmented ClientHello in DTLS 1.2 ("Ignoring datagram with
 * fragmented ClientHello", internal.c: it keeps no state for one, against denial of
 * service), so a client whose ClientHello does not fit its datagram size (JSSE's and
 * OpenSSL's at 256 bytes) never got an answer. Behind the api's listener the cookie has
 * already been verified when the session exists, so holding the fragments costs nothing an
 * attacker can multiply. Only the ClientHello that follows a HelloVerifyRequest (message_seq
 * above 0) is reassembled ({@link ClientHelloReassembly}).
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}.
 */
final class FirstClientHello {

    private boolean started;
    /** The ClientHello being collected; null when there is none or once it is whole. */
    private ClientHelloReassembly joining;

    /**
     * Gives wolfSSL what it should read for {@code datagram} (from position to limit, records
     * checked; consumed): the datagram itself, or, once this datagram completes a fragmented
     * ClientHello, the whole message as one record, which may exceed the MTU.
     *
     * @return false if the datagram was a fragment held back: wolfSSL has nothing to read
     */
    boolean feed(ByteBuffer datagram, DatagramIo io, Pointer ssl, int mtu) {
        ByteBuffer admitted = admit(datagram).orElse(null);
        if (admitted == datagram) {
            if (datagram.remaining() > mtu) {
                io.feedOversized(datagram, ssl, mtu); // a whole ClientHello the listener reassembled
            } else {
                io.feed(datagram);
            }
            return true;
        }
        datagram.position(datagram.limit());
        if (admitted == null) {
            return false;
        }
        io.feedOversized(admitted, ssl, mtu);
        return true;
    }

    /**
     * What wolfSSL should read for {@code datagram}, not consumed: the datagram itself; the
     * whole ClientHello as one record, once this datagram completes it; or empty while
     * fragments are held.
     */
    private Optional<ByteBuffer> admit(ByteBuffer datagram) {
        if (!started) {
            started = true;
            ClientHelloReassembly r = ClientHelloReassembly.start(datagram).orElse(null);
            if (r == null || !r.add(datagram) || r.isComplete()) {
                return Optional.of(datagram); // no ClientHello after a cookie, or a whole one
            }
            joining = r;
            return Optional.empty();
        }
        if (joining == null || !joining.add(datagram)) {
            return Optional.of(datagram);
        }
        if (!joining.isComplete()) {
            return Optional.empty();
        }
        ByteBuffer whole = joining.record();
        joining = null;
        return Optional.of(whole);
    }
}
