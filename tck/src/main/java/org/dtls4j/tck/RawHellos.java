package org.dtls4j.tck;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.DtlsProvider;

/**
 * ClientHellos made by a real client session, taken apart and put together again, for
 * tests that play a client by hand: with a cookie, a wrong cookie, from another port.
 */
final class RawHellos {

    private RawHellos() {
    }

    /** The first datagram a client session of {@code provider} sends: a ClientHello without a cookie. */
    static byte[] firstClientHello(DtlsProvider provider, DtlsConfig clientConfig) {
        RecordingListener events = new RecordingListener();
        try (DtlsContext context = provider.newContext(clientConfig)) {
            DtlsSession session = context.newClientSession(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), events);
            session.beginHandshake();
            session.close();
        }
        List<byte[]> sent = events.sent();
        if (sent.isEmpty() || sent.get(0).length < 13 + 12 + 35 || sent.get(0)[0] != 22 || sent.get(0)[13] != 1) {
            throw new AssertionError("the client's first datagram must be a ClientHello");
        }
        return sent.get(0);
    }

    /** Whether a datagram is a HelloVerifyRequest. */
    static boolean isHelloVerifyRequest(byte[] d) {
        return d.length > 13 + 12 + 3 && d[0] == 22 && d[13] == 3;
    }

    /** The handshake type of a datagram's first record, or -1 if that is no epoch-0 handshake record. */
    static int handshakeType(byte[] d) {
        return d.length > 13 + 12 && d[0] == 22 && d[3] == 0 && d[4] == 0 ? d[13] & 0xff : -1;
    }

    /** The message_seq of the handshake message in a datagram's first record. */
    static int messageSeq(byte[] d) {
        return (d[13 + 4] & 0xff) << 8 | (d[13 + 5] & 0xff);
    }

    /** The cookie of a HelloVerifyRequest. */
    static byte[] cookieOf(byte[] helloVerifyRequest) {
        int at = 13 + 12 + 2;
        int n = helloVerifyRequest[at] & 0xff;
        return Arrays.copyOfRange(helloVerifyRequest, at + 1, at + 1 + n);
    }

    /**
     * The ClientHello again with {@code cookie} in it, as a client sends it after a
     * HelloVerifyRequest: message_seq 1, the next record sequence number.
     */
    static byte[] withCookie(byte[] hello, byte[] cookie) {
        int sessionIdAt = 13 + 12 + 2 + 32;
        int cookieAt = sessionIdAt + 1 + (hello[sessionIdAt] & 0xff);
        int oldCookie = hello[cookieAt] & 0xff;
        int grow = cookie.length - oldCookie;
        byte[] out = new byte[hello.length + grow];
        System.arraycopy(hello, 0, out, 0, cookieAt);
        out[cookieAt] = (byte) cookie.length;
        System.arraycopy(cookie, 0, out, cookieAt + 1, cookie.length);
        System.arraycopy(hello, cookieAt + 1 + oldCookie, out, cookieAt + 1 + cookie.length,
                hello.length - cookieAt - 1 - oldCookie);
        addShort(out, 11, grow);          // record length
        add24(out, 13 + 1, grow);         // handshake length
        add24(out, 13 + 9, grow);         // fragment length
        out[13 + 4] = 0;                  // message_seq = 1
        out[13 + 5] = 1;
        out[10] = (byte) (out[10] + 1);   // record sequence + 1 (low byte suffices for a fresh client)
        return out;
    }

    /** A UDP socket on {@code local} that plays a client by hand. */
    static DatagramSocket socket(InetAddress local) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0));
        s.setSoTimeout((int) Tck.EVENT.toMillis());
        return s;
    }

    /** Sends {@code datagram} and returns the first answer, or null if none came in time. */
    static byte[] exchange(DatagramSocket socket, InetSocketAddress server, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
        return receive(socket);
    }

    /** The next datagram on {@code socket}, or null if none comes within {@code within}. */
    static byte[] receive(DatagramSocket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        return receive(socket);
    }

    /** The next datagram on {@code socket}, or null if none comes within its timeout. */
    private static byte[] receive(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buf, p.getLength());
    }

    private static void addShort(byte[] b, int at, int delta) {
        int v = ((b[at] & 0xff) << 8 | (b[at + 1] & 0xff)) + delta;
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static void add24(byte[] b, int at, int delta) {
        int v = ((b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff)) + delta;
        b[at] = (byte) (v >> 16);
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) v;
    }
}
