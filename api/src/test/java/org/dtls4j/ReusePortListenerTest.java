package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.spi.ClientHellosTest;
import org.junit.jupiter.api.Test;

/**
 * The listener's I/O threads on one port: with {@code SO_REUSEPORT} one socket per thread, a
 * cookie minted on one socket verifying on another, and without it one socket for all
 * threads, said once in the log. Sessions here are {@link EchoingSession}s: no provider.
 */
class ReusePortListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CLIENTS = 20;

    private static boolean reusePortAvailable() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
    }

    @Test
    void twoIoThreadsBindTwoSocketsToOnePortAndEveryClientGetsItsCookieAndSession() throws Exception {
        assumeTrue(reusePortAvailable(), "SO_REUSEPORT is not available here");
        TransportOptions two = TransportOptions.builder().ioThreads(2).build();
        try (DtlsServer server = DtlsServer.bind(EchoingSession.context(DtlsRole.SERVER), new InetSocketAddress(LOOPBACK, 0), two)) {
            assertThat(server.sockets()).as("one socket per I/O thread").isEqualTo(2);
            handshakeClients(server);
            TransportStats s = server.stats();
            assertThat(s.cookiesVerified()).as("every cookie verifies, whichever socket: " + s).isEqualTo(CLIENTS);
            assertThat(s.cookiesRejected()).isZero();
            assertThat(s.liveSessions()).isEqualTo(CLIENTS);
            assertThat(s.datagramsIn()).as("a ClientHello without and one with a cookie each").isEqualTo(2L * CLIENTS);
            assertThat(s.handoffs()).as("each session on the thread that reads its socket").isZero();
        }
    }

    @Test
    void aCookieMintedByOneSocketsFrontDoorVerifiesAtAnothers() throws Exception {
        DtlsContext context = EchoingSession.context(DtlsRole.SERVER);
        ListenerCookies cookies = ListenerCookies.of(context);
        Counters counters = new Counters();
        try (DatagramChannel first = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             DatagramChannel second = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout((int) WAIT.toMillis());
            InetSocketAddress from = (InetSocketAddress) client.getLocalSocketAddress();
            FrontDoor minting = new FrontDoor(first::send, cookies, counters, false);
            FrontDoor verifying = new FrontDoor(second::send, cookies, counters, false);
            assertThat(minting.admit(ByteBuffer.wrap(ClientHellosTest.clientHello(new byte[0], 0)), from)).isNull();
            byte[] cookie = cookieOf(receive(client));
            assertThat(verifying.admit(ByteBuffer.wrap(ClientHellosTest.clientHello(cookie, 1)), from))
                    .as("the other socket's front door accepts the cookie").isNotNull();
            assertThat(counters.snapshot().cookiesVerified()).isEqualTo(1);
        }
    }

    @Test
    void withoutReusePortOneSocketServesEveryThreadAndTheLogSaysWhatThatMeans() throws Exception {
        TransportOptions two = TransportOptions.builder().ioThreads(2).build();
        try (DtlsServer server = DtlsServer.bindWithoutReusePort(EchoingSession.context(DtlsRole.SERVER), new InetSocketAddress(LOOPBACK, 0),
                two, null)) {
            assertThat(server.sockets()).isEqualTo(1);
            handshakeClients(server);
            assertThat(server.stats().handshakesCompleted()).isEqualTo(CLIENTS);
            assertThat(server.stats().liveSessions()).isEqualTo(CLIENTS);
        }
        // The line itself (logged once per bind, at INFO): module-path tests cannot read java.logging to catch it.
        assertThat(DtlsServer.reusePortUnavailable(new InetSocketAddress(LOOPBACK, 4433), 2))
                .contains("SO_REUSEPORT is not available", "one thread", "4433");
    }

    /** {@link #CLIENTS} clients, each from its own port, do the cookie exchange and complete a handshake. */
    private static void handshakeClients(DtlsServer server) throws Exception {
        List<DatagramSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                DatagramSocket c = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                c.setSoTimeout((int) WAIT.toMillis());
                clients.add(c);
                send(c, ClientHellosTest.clientHello(new byte[0], 0), server.localAddress());
            }
            for (DatagramSocket c : clients) {
                send(c, ClientHellosTest.clientHello(cookieOf(receive(c)), 1), server.localAddress());
            }
            for (DatagramSocket c : clients) {
                assertThat(receive(c)).as("the session's answer").containsExactly(22, 2);
            }
            awaitTrue(() -> server.stats().handshakesCompleted() == CLIENTS, "every handshake completes: " + server.stats());
        } finally {
            clients.forEach(DatagramSocket::close);
        }
    }

    private static void send(DatagramSocket from, byte[] datagram, InetSocketAddress to) throws IOException {
        from.send(new DatagramPacket(datagram, datagram.length, to));
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** The cookie of a HelloVerifyRequest: record header, handshake header, version, length, cookie. */
    private static byte[] cookieOf(byte[] helloVerifyRequest) {
        assertThat(helloVerifyRequest[13]).as("a HelloVerifyRequest").isEqualTo((byte) 3);
        int length = helloVerifyRequest[13 + 12 + 2] & 0xff;
        return Arrays.copyOfRange(helloVerifyRequest, 13 + 12 + 3, 13 + 12 + 3 + length);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
