package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.CookieAuthority;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.net.Side;
import org.junit.jupiter.api.Test;

/**
 * The server session behind the api's listener: a ClientHello whose cookie the listener
 * verified starts BouncyCastle from a reflectively built DTLSRequest, with no second
 * HelloVerifyRequest; a cookie-less one is answered statelessly.
 */
class CookieExchangeTest {

    private final BouncyCastleProvider provider = new BouncyCastleProvider(2);

    @Test
    void reflectiveRequestsWorkOnTheClassPath() {
        assertThat(ClientHelloRequests.available()).as("DTLSRequest's constructor is reachable here").isTrue();
    }

    @Test
    void aClientHelloWithAVerifiedCookieContinuesWithoutAnotherRoundTrip() {
        CookieAuthority cookies = CookieAuthority.hmacSha256();
        DtlsConfig serverConfig = Configs.server().cookieAuthority(cookies).build();
        AtomicInteger hvrs = new AtomicInteger();
        AtomicInteger verifiedMessageSeq = new AtomicInteger(-1);
        SessionPair[] pair = new SessionPair[1];
        try (DtlsContext clients = provider.newContext(Configs.client().build());
             DtlsContext servers = provider.newContext(serverConfig)) {
            // The listener: answer the cookie-less ClientHello itself, open the server
            // session for the one whose cookie verifies and hand it that datagram.
            pair[0] = SessionPair.builder(provider, provider).contexts(clients, servers).serverGate(d -> {
                FirstClientHello hello = FirstClientHello.parse(d, new ClientHellos()).orElseThrow();
                if (hello.cookie().length == 0) {
                    hvrs.incrementAndGet();
                    // the listener's own HelloVerifyRequest writer
                    ClientHellos listener = new ClientHellos();
                    listener.read(ByteBuffer.wrap(d));
                    ByteBuffer hvr = ByteBuffer.allocate(512);
                    listener.writeHelloVerifyRequest(
                            cookies.generate(SessionPair.CLIENT_ADDRESS, hello.parametersBuffer()), hvr);
                    byte[] bytes = new byte[hvr.remaining()];
                    hvr.get(bytes);
                    pair[0].link().inject(Side.CLIENT, bytes);
                    return true;
                }
                if (cookies.verify(SessionPair.CLIENT_ADDRESS, hello.parametersBuffer(), hello.cookie())) {
                    verifiedMessageSeq.set(hello.messageSeq());
                    pair[0].openServerSession();
                    return false;
                }
                return true;
            }).build();
            try (SessionPair p = pair[0].start()) {
                p.awaitEstablished(Duration.ofSeconds(10));
                assertThat(hvrs.get()).as("the listener sent one HelloVerifyRequest").isEqualTo(1);
                assertThat(verifiedMessageSeq.get()).as("the verified ClientHello's message_seq").isEqualTo(1);
                List<byte[]> fromServer = p.server().sent();
                assertThat(fromServer.get(0)[13]).as("the server session's first message is a ServerHello,"
                        + " not another HelloVerifyRequest").isEqualTo((byte) 2);
            }
        }
    }

    @Test
    void aCookielessClientHelloIsAnsweredStatelesslyWithTheAuthoritysCookie() {
        CookieAuthority cookies = CookieAuthority.hmacSha256();
        try (DtlsContext clients = provider.newContext(Configs.client().build());
             DtlsContext servers = provider.newContext(Configs.server().cookieAuthority(cookies).build());
             SessionPair p = SessionPair.builder(provider, provider).contexts(clients, servers).build().start()) {
            p.awaitEstablished(Duration.ofSeconds(10));
            byte[] hvr = p.server().sent().get(0);
            assertThat(hvr[13]).as("the server's first datagram is a HelloVerifyRequest").isEqualTo((byte) 3);
            byte[] secondHello = p.client().sent().get(1);
            FirstClientHello hello = FirstClientHello.parse(secondHello, new ClientHellos()).orElseThrow();
            assertThat(cookies.verify(SessionPair.CLIENT_ADDRESS, hello.parametersBuffer(), hello.cookie()))
                    .as("the cookie the server sent is the configured authority's").isTrue();
        }
    }
}
