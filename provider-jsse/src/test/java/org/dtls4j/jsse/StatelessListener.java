package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.dtls4j.CookieAuthority;
import org.dtls4j.tck.net.Side;

/**
 * What the api's UDP listener does in front of a server, reduced to one client: answer a
 * ClientHello without a cookie statelessly with a HelloVerifyRequest carrying a
 * {@link CookieAuthority} cookie, and create the server session only for a ClientHello
 * whose cookie verifies. Used as a {@link Pair} gate.
 *
 * <p>With {@link #sendingBackendCookies} it does what the api's listener does for JSSE: the
 * HelloVerifyRequest carries JSSE's own cookie ({@link JsseCookies}), and our cookie, kept
 * under it, decides whether it is accepted when it comes back.
 */
final class StatelessListener implements Predicate<byte[]> {

    private final Pair[] pair = new Pair[1];
    private final CookieAuthority cookies;
    /** Our cookie under each backend cookie sent; null when sending our own. */
    private final Map<ByteBuffer, byte[]> backendCookies;
    final List<byte[]> helloVerifyRequests = new ArrayList<>();
    int refusedCookies;
    /** How many of the first HelloVerifyRequests are lost on their way to the client. */
    int loseFirstHelloVerifyRequests;
    /** Whether the first cookie is damaged on its way, so that it fails when it comes back. */
    boolean spoilFirstCookie;
    /** Whether a ClientHello whose cookie fails earns a fresh HelloVerifyRequest, as from the api's listener. */
    boolean answerRefusedCookies;

    StatelessListener(CookieAuthority cookies) {
        this(cookies, false);
    }

    private StatelessListener(CookieAuthority cookies, boolean backend) {
        this.cookies = cookies;
        this.backendCookies = backend ? new HashMap<>() : null;
    }

    /** A listener that sends the server context's own cookies, as the api's listener does for JSSE. */
    static StatelessListener sendingBackendCookies(CookieAuthority cookies) {
        return new StatelessListener(cookies, true);
    }

    void attach(Pair p) {
        pair[0] = p;
    }

    /** True: the datagram was consumed here. */
    @Override
    public boolean test(byte[] datagram) {
        ClientHello hello = ClientHello.parse(datagram);
        if (hello == null) {
            return true; // not the first fragment of a ClientHello: dropped, as the api's listener does
        }
        if (hello.cookie.length == 0) {
            answer(hello, datagram);
            return true;
        }
        byte[] own = backendCookies == null ? hello.cookie
                : backendCookies.getOrDefault(ByteBuffer.wrap(hello.cookie), hello.cookie);
        if (!cookies.verify(Pair.CLIENT_ADDRESS, hello.parameters(), own)) {
            refusedCookies++;
            if (answerRefusedCookies) {
                answer(hello, datagram);
            }
            return true;
        }
        pair[0].createServerSession();
        return false; // the new session reads this ClientHello
    }

    /** Sends a HelloVerifyRequest with a fresh cookie (unless it is one of those to lose). */
    private void answer(ClientHello hello, byte[] datagram) {
        byte[] cookie = cookies.generate(Pair.CLIENT_ADDRESS, hello.parameters());
        if (backendCookies != null) {
            byte[] own = cookie;
            cookie = pair[0].serverContext.cookieFor(ByteBuffer.wrap(datagram))
                    .orElse(own);
            backendCookies.put(ByteBuffer.wrap(cookie), own);
        }
        if (spoilFirstCookie && helloVerifyRequests.isEmpty()) {
            cookie = cookie.clone();
            cookie[0] ^= 1;
        }
        byte[] hvr = helloVerifyRequest(hello.recordSequence, hello.messageSeq, cookie);
        helloVerifyRequests.add(hvr);
        if (helloVerifyRequests.size() > loseFirstHelloVerifyRequests) {
            pair[0].inject(Side.CLIENT, hvr);
        }
    }

    /**
     * RFC 6347 section 4.2.1: server_version DTLS 1.0, the cookie, and the ClientHello's
     * record sequence number and message_seq.
     */
    static byte[] helloVerifyRequest(long recordSequence, int messageSeq, byte[] cookie) {
        int body = 2 + 1 + cookie.length;
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + body);
        b.put((byte) 22).putShort((short) 0xfeff).putShort((short) 0);
        b.putShort((short) (recordSequence >>> 32)).putInt((int) recordSequence);
        b.putShort((short) (12 + body));
        b.put((byte) 3).put((byte) 0).putShort((short) body).putShort((short) messageSeq);
        b.put((byte) 0).putShort((short) 0).put((byte) 0).putShort((short) body);
        b.putShort((short) 0xfeff).put((byte) cookie.length).put(cookie);
        return b.array();
    }

    /**
     * The fields of a ClientHello this listener needs, read as the api's listener reads
     * them: from the first fragment only, which must hold everything up to the compression
     * methods. {@link #parameters()} are the fields the cookie binds; {@link #bodyWithoutCookie()}
     * is the fragment's body without the cookie.
     */
    record ClientHello(long recordSequence, int messageSeq, byte[] cookie, byte[] bodyWithoutCookie, byte[] bound) {

        ByteBuffer parameters() {
            return ByteBuffer.wrap(bound).asReadOnlyBuffer();
        }

        /** The first fragment of a ClientHello, or null for anything else (a later fragment too). */
        static ClientHello parse(byte[] d) {
            ByteBuffer b = ByteBuffer.wrap(d);
            if (d.length < 13 + 12 + 35 || d[0] != 22 || d[13] != 1) {
                return null;
            }
            int fragmentOffset = ((d[19] & 0xff) << 16) | ((d[20] & 0xff) << 8) | (d[21] & 0xff);
            if (fragmentOffset != 0) {
                return null;
            }
            long seq = ((b.getShort(5) & 0xffffL) << 32) | (b.getInt(7) & 0xffffffffL);
            int recordEnd = Math.min(d.length, 13 + (b.getShort(11) & 0xffff));
            int messageSeq = b.getShort(13 + 4) & 0xffff;
            int body = 13 + 12;
            int at = body + 34;
            int sessionId = d[at] & 0xff;
            int cookieAt = at + 1 + sessionId;
            int cookieLength = d[cookieAt] & 0xff;
            int afterCookie = cookieAt + 1 + cookieLength;
            byte[] cookie = java.util.Arrays.copyOfRange(d, cookieAt + 1, afterCookie);
            byte[] without = new byte[recordEnd - body - 1 - cookieLength];
            System.arraycopy(d, body, without, 0, cookieAt - body);
            System.arraycopy(d, afterCookie, without, cookieAt - body, recordEnd - afterCookie);
            int suites = b.getShort(afterCookie) & 0xffff;
            int compression = afterCookie + 2 + suites;
            int boundEnd = compression + 1 + (d[compression] & 0xff);
            if (boundEnd > recordEnd) {
                return null;
            }
            byte[] bound = new byte[cookieAt - body + boundEnd - afterCookie];
            System.arraycopy(d, body, bound, 0, cookieAt - body);
            System.arraycopy(d, afterCookie, bound, cookieAt - body, boundEnd - afterCookie);
            return new ClientHello(seq, messageSeq, cookie, without, bound);
        }
    }
}
