package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * What wolfSSL 5.9.2 does with the ClientHellos the api's listener hands a new server
 * session; the facts docs/WOLFSSL.md records.
 */
@NeedsWolfSsl
class WolfSslFactsTest {

    private static String describe(byte[] d) {
        // record: type(1) version(2) epoch(2) seq(6) length(2); handshake: type(1) length(3) message_seq(2)
        return "type " + d[0] + " handshake " + (d.length > 13 ? d[13] : -1)
                + " message_seq " + (d.length > 18 ? ((d[17] & 0xff) << 8 | (d[18] & 0xff)) : -1) + " (" + d.length + " bytes)";
    }

    @Test
    void aFreshServerSessionAcceptsTheClientHelloThatCarriesWolfSslsOwnCookie() throws Exception {
        // DTLS 1.2 named: its HelloVerifyRequest cookie is the fact (unset versions include 1.3)
        try (DtlsContext client = new WolfSslProvider().newContext(
                     TckPki.get().clientConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build());
             DtlsContext server = new WolfSslProvider().newContext(
                     TckPki.get().serverConfig().protocolVersions(ProtocolVersion.DTLS_1_2).build())) {
            RecordingListener c = new RecordingListener();
            DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
            cs.beginHandshake();
            byte[] hello1 = c.outbox().take();
            System.out.println("[facts] client's first ClientHello: " + describe(hello1));

            RecordingListener s1 = new RecordingListener();
            DtlsSession first = server.newServerSession(SessionPair.CLIENT_ADDRESS, s1);
            first.beginHandshake();
            first.receive(ByteBuffer.wrap(hello1));
            byte[] hvr = s1.outbox().take();
            System.out.println("[facts] first server session answers: " + describe(hvr) + " pending " + s1.outbox().size()
                    + " state " + first.state());
            first.close();
            byte[] wolfCookie = java.util.Arrays.copyOfRange(hvr, 28, 28 + (hvr[27] & 0xff));
            assertThat(((WolfSslContext) server).cookieFor(ByteBuffer.wrap(hello1)))
                    .as("Dtls12Cookies mints the cookie wolfSSL sent").hasValueSatisfying(
                            c1 -> assertThat(c1).isEqualTo(wolfCookie));

            cs.receive(ByteBuffer.wrap(hvr));
            byte[] hello2 = c.outbox().take();
            System.out.println("[facts] client's second ClientHello: " + describe(hello2));

            RecordingListener s2 = new RecordingListener();
            DtlsSession second = server.newServerSession(SessionPair.CLIENT_ADDRESS, s2);
            second.beginHandshake();
            second.receive(ByteBuffer.wrap(hello2));
            System.out.println("[facts] a fresh server session fed the second ClientHello answers " + s2.outbox().size()
                    + " datagrams, first: " + (s2.outbox().isEmpty() ? "-" : describe(s2.outbox().peek()))
                    + "; state " + second.state() + " " + s2.failed().getNow(null));
            RecordingListener.pump(cs, c, second, s2);
            System.out.println("[facts] then: client " + cs.state() + " server " + second.state() + " "
                    + c.failed().getNow(null) + " " + s2.failed().getNow(null));
            assertThat(second.state()).isEqualTo(org.dtls4j.DtlsSessionState.ESTABLISHED);
        }
    }

    @Test
    void aFreshServerSessionFedAForeignCookie() throws Exception {
        try (DtlsContext client = new WolfSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new WolfSslProvider().newContext(TckPki.get().serverConfig().build());
             DtlsContext other = new WolfSslProvider().newContext(TckPki.get().serverConfig().build())) {
            RecordingListener c = new RecordingListener();
            DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
            cs.beginHandshake();
            byte[] hello1 = c.outbox().take();
            RecordingListener s1 = new RecordingListener();
            DtlsSession first = other.newServerSession(SessionPair.CLIENT_ADDRESS, s1);
            first.beginHandshake();
            first.receive(ByteBuffer.wrap(hello1));
            byte[] hvr = s1.outbox().take();
            first.close();
            cs.receive(ByteBuffer.wrap(hvr));
            byte[] hello2 = c.outbox().take();

            RecordingListener s2 = new RecordingListener();
            DtlsSession second = server.newServerSession(SessionPair.CLIENT_ADDRESS, s2);
            second.beginHandshake();
            second.receive(ByteBuffer.wrap(hello2));
            byte[] answer = s2.outbox().poll();
            System.out.println("[facts] a ClientHello (message_seq 1) with another secret's cookie is answered by "
                    + (answer == null ? "nothing" : describe(answer) + " " + HexFormat.of().formatHex(answer, 0, Math.min(60, answer.length)))
                    + "; state " + second.state());
            if (answer != null) {
                cs.receive(ByteBuffer.wrap(answer));
                byte[] hello3 = c.outbox().poll();
                System.out.println("[facts] client answers " + (hello3 == null ? "nothing" : describe(hello3)) + " " + c.failed().getNow(null));
                if (hello3 != null) {
                    second.receive(ByteBuffer.wrap(hello3));
                    byte[] a2 = s2.outbox().poll();
                    System.out.println("[facts] server answers " + (a2 == null ? "nothing" : describe(a2)) + " " + second.state()
                            + " " + s2.failed().getNow(null));
                }
            }
        }
    }

    @Test
    void dtls13HelloRetryRequestCookiesAreStatelessUnderTheContextsSecret() throws Exception {
        org.dtls4j.DtlsConfig c13 = TckPki.get().clientConfig().protocolVersions(org.dtls4j.ProtocolVersion.DTLS_1_3).build();
        org.dtls4j.DtlsConfig s13 = TckPki.get().serverConfig().protocolVersions(org.dtls4j.ProtocolVersion.DTLS_1_3).build();
        try (DtlsContext client = new WolfSslProvider().newContext(c13);
             DtlsContext server = new WolfSslProvider().newContext(s13)) {
            RecordingListener c = new RecordingListener();
            DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
            cs.beginHandshake();
            byte[] hello1 = c.outbox().take();
            System.out.println("[facts13] client's first ClientHello: " + describe(hello1) + "; more " + c.outbox().size());

            RecordingListener s1 = new RecordingListener();
            DtlsSession first = server.newServerSession(SessionPair.CLIENT_ADDRESS, s1);
            first.beginHandshake();
            first.receive(ByteBuffer.wrap(hello1));
            byte[] hrr = s1.outbox().poll();
            System.out.println("[facts13] first server session answers " + (hrr == null ? "nothing" : describe(hrr))
                    + ", " + s1.outbox().size() + " more; state " + first.state());
            first.close();
            if (hrr == null) {
                return;
            }
            cs.receive(ByteBuffer.wrap(hrr));
            byte[] hello2 = c.outbox().poll();
            System.out.println("[facts13] client's second ClientHello: " + (hello2 == null ? "none" : describe(hello2)) + ", then " + c.outbox().size() + " more datagrams of " + c.outbox().stream().mapToInt(d -> d.length).sum() + " bytes");
            RecordingListener s2 = new RecordingListener();
            DtlsSession second = server.newServerSession(SessionPair.CLIENT_ADDRESS, s2);
            second.beginHandshake();
            second.receive(ByteBuffer.wrap(hello2));
            System.out.println("[facts13] a fresh server session fed it answers " + s2.outbox().size()
                    + " datagrams, first: " + (s2.outbox().isEmpty() ? "-" : describe(s2.outbox().peek()))
                    + "; state " + second.state() + " " + s2.failed().getNow(null));
            RecordingListener.pump(cs, c, second, s2);
            System.out.println("[facts13] then: client " + cs.state() + " server " + second.state() + " "
                    + c.failed().getNow(null) + " " + s2.failed().getNow(null));
            assertThat(second.state()).isEqualTo(org.dtls4j.DtlsSessionState.ESTABLISHED);
        }
    }
}
