package org.dtls4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dtls4j.Capability;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the README's examples, with every provider on the class path that can run here. */
class ExamplesTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    static Stream<String> providers() {
        return Dtls.providers().stream().filter(p -> p.availability().isAvailable()).map(DtlsProvider::name);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theEchoServerEchoesTheClientsMessage(String provider) throws IOException {
        try (Contexts contexts = new Contexts(provider);
             DtlsServer server = EchoServer.start(contexts.server, ANY_PORT)) {
            assertEquals("hello", EchoClient.exchange(contexts.client, server.localAddress(), "hello"));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theBlockingServerEchoesOneRecord(String provider) throws Exception {
        try (Contexts contexts = new Contexts(provider);
             DtlsServer server = DtlsServer.bind(contexts.server, ANY_PORT)) {
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return EchoClient.exchange(contexts.client, server.localAddress(), "once");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            EchoServer.echoOne(server, WAIT);
            assertEquals("once", reply.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theOperatedServerEchoesAndCounts(String provider) throws IOException {
        try (Contexts contexts = new Contexts(provider);
             DtlsServer server = OperatedServer.bind(contexts.server, ANY_PORT)) {
            assertEquals("a", EchoClient.exchange(contexts.client, server.localAddress(), "a"));
            assertEquals("b", EchoClient.exchange(contexts.client, server.localAddress(), "b"));
            assertEquals(2, server.stats().handshakesCompleted());
        }
    }

    @org.junit.jupiter.api.Test
    void theMatrixConnectsEveryPairOfProviders() {
        List<String> lines = ProviderMatrix.run(TckPki.get().serverConfig().build(), TckPki.get().clientConfig().build());
        long n = providers().count();
        assertEquals(n * n, lines.size(), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("FAILED")), String.join("\n", lines));
    }

    @org.junit.jupiter.api.Test
    void rawPublicKeysConnectAKnownDeviceAndRefuseAnUnknownOne() throws Exception {
        DtlsProvider provider = Dtls.providers().stream()
                .filter(p -> p.availability().isAvailable() && p.capabilities().contains(Capability.RAW_PUBLIC_KEY))
                .findFirst().orElse(null);
        assumeTrue(provider != null, "no provider here declares RAW_PUBLIC_KEY");
        KeyPair serverKeys = ec();
        KeyPair device = ec();
        KeyPair stranger = ec();
        try (DtlsContext serverContext = provider.newContext(RawPublicKeys.server(serverKeys, Set.of(device.getPublic())));
             DtlsContext known = provider.newContext(RawPublicKeys.device(device, serverKeys.getPublic()));
             DtlsContext unknown = provider.newContext(RawPublicKeys.device(stranger, serverKeys.getPublic()));
             DtlsServer server = EchoServer.start(serverContext, ANY_PORT)) {
            assertEquals("ping", EchoClient.exchange(known, server.localAddress(), "ping"));
            assertThrows(DtlsAlertException.class, () -> EchoClient.exchange(unknown, server.localAddress(), "ping"));
        }
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A server and a client context of one provider, with the TCK's certificates. */
    private static final class Contexts implements AutoCloseable {
        final DtlsContext server;
        final DtlsContext client;

        Contexts(String provider) {
            server = Dtls.newContext(provider, TckPki.get().serverConfig().build());
            client = Dtls.newContext(provider, TckPki.get().clientConfig().build());
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
