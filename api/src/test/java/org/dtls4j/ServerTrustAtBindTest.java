package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A server asks clients for credentials only with an explicit peer verification mode, so a
 * context that trusts raw public keys without one would trust nobody: the listener refuses it
 * when it is made, naming the fix.
 */
class ServerTrustAtBindTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static final DtlsConnectionHandler NO_HANDLER = new DtlsConnectionHandler() {
        @Override
        public void onConnected(DtlsConnection connection) {
        }

        @Override
        public void onRecord(DtlsConnection connection, ByteBuffer record) {
        }
    };

    private static DtlsContext context(UnaryOperator<DtlsConfig.Builder> settings) {
        return new TestProviders.StubContext("stub", settings.apply(DtlsConfig.builder()).build());
    }

    @Test
    void trustedRawPublicKeysWithoutAVerificationModeAreRefusedAtBindNamingTheFix() {
        assertThatThrownBy(() -> DtlsServer.bind(context(b -> b.rawPublicKeyTrust((key, role) -> true)), ANY_LOOPBACK))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("rawPublicKeyTrust").hasMessageContaining("peerVerification(REQUIRED)");
    }

    @Test
    void theDriversListenerRefusesItToo() {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThatThrownBy(() -> DatagramListener.open(context(b -> b.rawPublicKeyTrust((key, role) -> true)),
                    TransportOptions.defaults(), NO_HANDLER, (datagram, to) -> 0, loop, () -> true))
                    .isInstanceOf(DtlsConfigurationException.class).hasMessageContaining("peerVerification");
        } finally {
            loop.shutdownNow();
        }
    }

    @Test
    void anExplicitModeEitherWayIsAccepted() {
        for (PeerVerification mode : PeerVerification.values()) {
            assertThatCode(() -> {
                try (DtlsServer server = DtlsServer.bind(context(b -> b.rawPublicKeyTrust((key, role) -> true)
                        .peerVerification(mode)), ANY_LOOPBACK)) {
                    server.localAddress();
                }
            }).as(mode.name()).doesNotThrowAnyException();
        }
    }
}
