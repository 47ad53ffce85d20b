package org.dtls4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.TransportStats;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Netty server's front door: a ClientHello without a cookie earns a cookie (a
 * HelloVerifyRequest, or in DTLS 1.3 a HelloRetryRequest) and no session.
 */
class CookieExchangeTest {

    static {
        NettyLeaks.install();
    }

    static List<String> providers() {
        return DtlsServerHandlerTest.providers().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aCookielessClientHelloEarnsACookieAndNoSession(String provider) throws Exception {
        DtlsProvider p = Dtls.provider(provider);
        byte[] hello = firstClientHello(p);
        try (DtlsContext server = p.newContext(TckPki.get().serverConfig().build());
             NettyServers netty = new NettyServers(server);
             DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(hello, hello.length, netty.address()));
            byte[] buf = new byte[2048];
            DatagramPacket answer = new DatagramPacket(buf, buf.length);
            socket.receive(answer);
            assertThat(answer.getLength()).as("the answer's length").isGreaterThan(13 + 12 + 3);
            assertThat(buf[0]).as("the answer's content type: handshake").isEqualTo((byte) 22);
            // DTLS 1.2 answers with a HelloVerifyRequest (3); a ClientHello that offers 1.3 to a
            // server configured for it, with the backend's HelloRetryRequest (a ServerHello, 2).
            assertThat((int) buf[13]).as("the answer to a cookie-less ClientHello: HelloVerifyRequest (3)"
                    + " or HelloRetryRequest (2)").isIn(3, 2);
            TransportStats stats = netty.handler().stats().orElseThrow();
            assertThat(stats.cookiesSent()).as("cookies sent").isEqualTo(1);
            assertThat(stats.handshakesStarted()).as("sessions started before a cookie verified").isZero();
            assertThat(stats.liveSessions()).as("live sessions").isZero();
        }
        NettyLeaks.assertNone();
    }

    /** The first datagram a client session of {@code provider} sends: a ClientHello without a cookie. */
    private static byte[] firstClientHello(DtlsProvider provider) {
        RecordingListener events = new RecordingListener();
        try (DtlsContext context = provider.newContext(TckPki.get().clientConfig().build())) {
            DtlsSession session = context.newClientSession(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), events);
            session.beginHandshake();
            session.close();
        }
        byte[] first = events.sent().get(0);
        assertThat(new int[] {first[0], first[13]}).as("the client's first datagram: a ClientHello").containsExactly(22, 1);
        return first;
    }
}
