package org.dtls4j.tck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.DtlsProvider;

/**
 * ClientHellos made by a real client session, taken apart and put together again, for
 * tests that play a client by hand: with a cookie, a wrong cookie, from another port; and
 * large ClientHellos built here and fragmented as a client with a small datagram size sends
 * them.
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
        return exchange(socket, server, List.of(datagram));
    }

    /** Sends {@code datagrams} in order and returns the first answer, or null if none came in time. */
    static byte[] exchange(DatagramSocket socket, InetSocketAddress server, List<byte[]> datagrams) throws IOException {
        for (byte[] d : datagrams) {
            socket.send(new DatagramPacket(d, d.length, server));
        }
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

    /** A ClientHello body as large as a BoringSSL one offering a hybrid post-quantum key share. */
    static final int LARGE_CLIENT_HELLO_BODY = 1400;

    /** ECDHE-ECDSA-AES128-GCM-SHA256: a suite every provider accepts with the TCK's ECDSA P-256 server. */
    private static final int ECDHE_ECDSA_AES128_GCM_SHA256 = 0xc02b;

    /**
     * The handshake body of a DTLS 1.2 ClientHello of exactly {@code bodyLength} bytes without a
     * cookie (longer by the cookie with one), as a client offering large key shares sends it:
     * one suite, the usual extensions (supported_groups, ec_point_formats, signature_algorithms,
     * extended_master_secret, renegotiation_info), then RFC 7685 padding up to the length.
     *
     * @param random the client random, 32 bytes
     * @param cookie the cookie, empty for a first ClientHello
     */
    static byte[] largeClientHelloBody(byte[] random, byte[] cookie, int bodyLength) {
        return clientHelloBody(random, cookie, new int[] {0x0403, 0x0804, 0x0401, 0x0503}, bodyLength);
    }

    /**
     * The handshake body of a DTLS 1.2 ClientHello as {@link #largeClientHelloBody} makes it,
     * offering {@code signatureAlgorithms} (RFC 5246 section 7.4.1.4.1 code points), padded to
     * {@code bodyLength} bytes without the cookie, or not padded when {@code bodyLength} is 0.
     */
    static byte[] clientHelloBody(byte[] random, byte[] cookie, int[] signatureAlgorithms, int bodyLength) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xfe);
        b.write(0xfd);
        b.writeBytes(random);
        b.write(0); // session_id
        b.write(cookie.length);
        b.writeBytes(cookie);
        put16(b, 2);
        put16(b, ECDHE_ECDSA_AES128_GCM_SHA256);
        b.write(1); // compression_methods: null
        b.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        extension(ext, 0x000a, new byte[] {0, 4, 0, 0x17, 0, 0x1d});             // supported_groups: P-256, X25519
        extension(ext, 0x000b, new byte[] {1, 0});                               // ec_point_formats: uncompressed
        ByteArrayOutputStream schemes = new ByteArrayOutputStream();
        put16(schemes, 2 * signatureAlgorithms.length);
        for (int scheme : signatureAlgorithms) {
            put16(schemes, scheme);
        }
        extension(ext, 0x000d, schemes.toByteArray());                           // signature_algorithms
        extension(ext, 0x0017, new byte[0]);                                     // extended_master_secret
        extension(ext, 0xff01, new byte[] {0});                                  // renegotiation_info
        if (bodyLength == 0) {
            put16(b, ext.size());
            b.writeBytes(ext.toByteArray());
            return b.toByteArray();
        }
        int padding = bodyLength - (b.size() - cookie.length) - 2 - ext.size() - 4;
        if (padding < 0) {
            throw new IllegalArgumentException("a ClientHello body of " + bodyLength + " bytes is too short");
        }
        extension(ext, 0x0015, new byte[padding]);                               // padding (RFC 7685)
        put16(b, ext.size());
        b.writeBytes(ext.toByteArray());
        return b.toByteArray();
    }

    /** A client random drawn from {@code seed}. */
    static byte[] random(long seed) {
        byte[] r = new byte[32];
        new Random(seed).nextBytes(r);
        return r;
    }

    /**
     * The datagrams a client with a {@code datagramSize} limit sends a ClientHello body in: one
     * epoch-0 record per datagram, each holding the next fragment that fits, record sequence
     * numbers from {@code firstRecord} on.
     */
    static List<byte[]> fragmented(byte[] body, int messageSeq, long firstRecord, int datagramSize) {
        int room = datagramSize - 13 - 12;
        List<byte[]> out = new ArrayList<>();
        for (int offset = 0; offset < body.length; offset += room) {
            int n = Math.min(room, body.length - offset);
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.write(22);
            d.write(0xfe);
            d.write(0xfd);
            put16(d, 0); // epoch
            long seq = firstRecord + out.size();
            put16(d, (int) (seq >>> 32));
            put16(d, (int) (seq >>> 16));
            put16(d, (int) seq);
            put16(d, 12 + n);
            d.write(1); // client_hello
            put24(d, body.length);
            put16(d, messageSeq);
            put24(d, offset);
            put24(d, n);
            d.write(body, offset, n);
            out.add(d.toByteArray());
        }
        return out;
    }

    private static void extension(ByteArrayOutputStream b, int type, byte[] data) {
        put16(b, type);
        put16(b, data.length);
        b.writeBytes(data);
    }

    private static void put16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    private static void put24(ByteArrayOutputStream b, int v) {
        b.write(v >>> 16);
        put16(b, v);
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
