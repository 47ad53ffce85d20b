package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ServerNamesTest {

    private static InetSocketAddress named(String name) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}), 4433);
    }

    @Test
    void aHostNameIsSentLowerCasedWithoutItsTrailingDot() throws Exception {
        assertThat(ServerNames.forPeer(named("Server.Dtls4j.Test."))).contains("server.dtls4j.test");
        assertThat(ServerNames.forPeer(named("localhost"))).as("one label").contains("localhost");
        assertThat(ServerNames.forPeer(InetSocketAddress.createUnresolved("coap.example.org", 5684)))
                .as("unresolved: the name given").contains("coap.example.org");
        assertThat(ServerNames.forPeer(InetSocketAddress.createUnresolved("coap.example.org.", 5684)))
                .contains("coap.example.org");
    }

    @Test
    void anAddressLiteralSendsNoName() throws Exception {
        assertThat(ServerNames.forPeer(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 1)))
                .as("made from bytes").isEmpty();
        assertThat(ServerNames.forPeer(new InetSocketAddress("127.0.0.1", 5684))).as("IPv4 literal").isEmpty();
        assertThat(ServerNames.forPeer(new InetSocketAddress("::1", 5684))).as("IPv6 literal").isEmpty();
        assertThat(ServerNames.forPeer(InetSocketAddress.createUnresolved("192.0.2.7.", 1))).as("with a dot").isEmpty();
        assertThat(ServerNames.forPeer(InetSocketAddress.createUnresolved("fe80::1%eth0", 1))).as("scoped").isEmpty();
    }

    @Test
    void anInternationalisedNameIsSentAsALabels() throws Exception {
        assertThat(ServerNames.forPeer(InetSocketAddress.createUnresolved("Bücher.Example", 1)))
                .contains("xn--bcher-kva.example");
    }

    @Test
    void whatIsNotAHostNameSendsNoName() {
        for (String bad : new String[] {".", "a..b", "-a.example", "a-.example", "under_score.example", "a b.example",
            "x".repeat(64) + ".example", ("abcdefghi." + "").repeat(26) + "example"}) {
            assertThat(ServerNames.forPeer(InetSocketAddress.createUnresolved(bad, 1))).as(bad).isEmpty();
        }
    }
}
