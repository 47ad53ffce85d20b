package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.dtls4j.CookieAuthority;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
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
    void aClientHelloWithAVerifiedCookieContinuesWithoutAnotherRoundTrip() throws Exception {
        CookieAuthority cookies = CookieAuthority.hmacSha256();
        DtlsConfig serverConfig = Pki.server().cookieAuthority(cookies).build();
        try (Loop loop = new Loop();
             DtlsContext clients = provider.newContext(Pki.client().build());
             DtlsContext servers = provider.newContext(serverConfig)) {
            Loop.Endpoint c = loop.new Endpoint();
            Loop.Endpoint s = loop.new Endpoint();
            AtomicReference<Integer> hvrs = new AtomicReference<>(0);
            s.route = c::deliver;
            // The listener: answer the cookie-less ClientHello itself, create the server
            // session for the one whose cookie verifies and hand it that datagram.
            c.route = d -> {
                if (s.session != null) {
                    s.deliver(d);
                    return;
                }
                FirstClientHello hello = FirstClientHello.parse(d).orElseThrow();
                if (hello.cookie().length == 0) {
                    hvrs.set(hvrs.get() + 1);
                    // the listener's own HelloVerifyRequest writer
                    org.dtls4j.spi.ClientHellos listener = new org.dtls4j.spi.ClientHellos();
                    listener.read(java.nio.ByteBuffer.wrap(d));
                    java.nio.ByteBuffer hvr = java.nio.ByteBuffer.allocate(512);
                    listener.writeHelloVerifyRequest(cookies.generate(Pki.CLIENT, hello.parametersBuffer()), hvr);
                    byte[] bytes = new byte[hvr.remaining()];
                    hvr.get(bytes);
                    c.deliver(bytes);
                } else if (cookies.verify(Pki.CLIENT, hello.parametersBuffer(), hello.cookie())) {
                    assertThat(hello.messageSeq()).isEqualTo(1);
                    s.session = servers.newServerSession(Pki.CLIENT, s);
                    s.session.beginHandshake();
                    s.session.receive(java.nio.ByteBuffer.wrap(d));
                }
            };
            loop.run(() -> {
                c.session = clients.newClientSession(Pki.SERVER, c);
                c.session.beginHandshake();
            });
            CompletableFuture.allOf(c.established, s.established).get(10, TimeUnit.SECONDS);
            assertThat(hvrs.get()).as("the listener sent one HelloVerifyRequest").isEqualTo(1);
            List<byte[]> fromServer = s.sent;
            assertThat(fromServer.get(0)[13]).as("the server session's first message is a ServerHello,"
                    + " not another HelloVerifyRequest").isEqualTo((byte) 2);
        }
    }

    @Test
    void aCookielessClientHelloIsAnsweredStatelesslyWithTheAuthoritysCookie() throws Exception {
        CookieAuthority cookies = CookieAuthority.hmacSha256();
        try (Loop loop = new Loop();
             DtlsContext clients = provider.newContext(Pki.client().build());
             DtlsContext servers = provider.newContext(Pki.server().cookieAuthority(cookies).build())) {
            Loop.Endpoint c = loop.new Endpoint();
            Loop.Endpoint s = loop.new Endpoint();
            c.route = s::deliver;
            s.route = c::deliver;
            loop.run(() -> {
                s.session = servers.newServerSession(Pki.CLIENT, s);
                c.session = clients.newClientSession(Pki.SERVER, c);
                s.session.beginHandshake();
                c.session.beginHandshake();
            });
            CompletableFuture.allOf(c.established, s.established).get(10, TimeUnit.SECONDS);
            byte[] hvr = s.sent.get(0);
            assertThat(hvr[13]).as("the server's first datagram is a HelloVerifyRequest").isEqualTo((byte) 3);
            byte[] secondHello = c.sent.get(1);
            FirstClientHello hello = FirstClientHello.parse(secondHello).orElseThrow();
            assertThat(cookies.verify(Pki.CLIENT, hello.parametersBuffer(), hello.cookie()))
                    .as("the cookie the server sent is the configured authority's").isTrue();
        }
    }
}
