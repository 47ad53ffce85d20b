package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.dtls4j.CookieAuthority;

/**
 * What the api's UDP listener does in front of a server, reduced to one client: answer a
 * ClientHello without a cookie statelessly with a HelloVerifyRequest carrying a
 * {@link CookieAuthority} cookie, and create the server session only for a ClientHello
 * whose cookie verifies. Used as a {@link Pair} gate.
 */
final class StatelessListener implements Predicate<byte[]> {

    private final Pair[] pair = new Pair[1];
    private final CookieAuthority cookies;
    final List<byte[]> helloVerifyRequests = new ArrayList<>();
    int refusedCookies;

    StatelessListener(CookieAuthority cookies) {
        this.cookies = cookies;
    }

    void attach(Pair p) {
        pair[0] = p;
    }

    /** True: the datagram was consumed here. */
    @Override
    public boolean test(byte[] datagram) {
        ClientHello hello = ClientHello.parse(datagram);
        if (hello == null) {
            return true; // no session, not a ClientHello: nothing to do
        }
        if (hello.cookie.length == 0) {
            byte[] cookie = cookies.generate(Pair.CLIENT_ADDRESS, hello.parameters());
            byte[] hvr = helloVerifyRequest(hello.recordSequence, cookie);
            helloVerifyRequests.add(hvr);
            pair[0].inject(Pair.Side.CLIENT, hvr);
            return true;
        }
        if (!cookies.verify(Pair.CLIENT_ADDRESS, hello.parameters(), hello.cookie)) {
            refusedCookies++;
            return true;
        }
        pair[0].createServerSession();
        return false; // the new session reads this ClientHello
    }

    /**
     * RFC 6347 section 4.2.1: server_version DTLS 1.0, the cookie, message_seq 0, and the
     * ClientHello's record sequence number.
     */
    static byte[] helloVerifyRequest(long recordSequence, byte[] cookie) {
        int body = 2 + 1 + cookie.length;
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + body);
        b.put((byte) 22).putShort((short) 0xfeff).putShort((short) 0);
        b.putShort((short) (recordSequence >>> 32)).putInt((int) recordSequence);
        b.putShort((short) (12 + body));
        b.put((byte) 3).put((byte) 0).putShort((short) body).putShort((short) 0);
        b.put((byte) 0).putShort((short) 0).put((byte) 0).putShort((short) body);
        b.putShort((short) 0xfeff).put((byte) cookie.length).put(cookie);
        return b.array();
    }

    /** The fields of an unfragmented ClientHello this listener needs. */
    record ClientHello(long recordSequence, int messageSeq, byte[] cookie, byte[] bodyWithoutCookie) {

        ByteBuffer parameters() {
            return ByteBuffer.wrap(bodyWithoutCookie).asReadOnlyBuffer();
        }

        static ClientHello parse(byte[] d) {
            ByteBuffer b = ByteBuffer.wrap(d);
            if (d.length < 13 + 12 + 35 || d[0] != 22 || d[13] != 1) {
                return null;
            }
            long seq = ((b.getShort(5) & 0xffffL) << 32) | (b.getInt(7) & 0xffffffffL);
            int messageSeq = b.getShort(13 + 4) & 0xffff;
            int body = 13 + 12;
            int at = body + 34;
            int sessionId = d[at] & 0xff;
            int cookieAt = at + 1 + sessionId;
            int cookieLength = d[cookieAt] & 0xff;
            byte[] cookie = java.util.Arrays.copyOfRange(d, cookieAt + 1, cookieAt + 1 + cookieLength);
            byte[] without = new byte[d.length - body - 1 - cookieLength];
            System.arraycopy(d, body, without, 0, cookieAt - body);
            System.arraycopy(d, cookieAt + 1 + cookieLength, without, cookieAt - body,
                    d.length - cookieAt - 1 - cookieLength);
            return new ClientHello(seq, messageSeq, cookie, without);
        }
    }
}
