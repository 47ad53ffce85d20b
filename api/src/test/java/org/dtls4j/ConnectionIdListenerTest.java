package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import org.dtls4j.TransportStats.DropReason;
import org.junit.jupiter.api.Test;

/** The listener's side of connection IDs that needs no provider: the bind-time check and unknown IDs. */
class ConnectionIdListenerTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static DtlsContext withConnectionIds(int length) {
        return new TestProviders.StubContext("stub", DtlsConfig.builder().connectionIdLength(length).build());
    }

    @Test
    void connectionIdsTooShortForTheSessionLimitAreRefusedAtBindNamingTheFix() {
        assertThatThrownBy(() -> DtlsServer.bind(withConnectionIds(1), ANY_LOOPBACK))
                .isInstanceOf(DtlsConfigurationException.class)
                .hasMessageContaining("connectionIdLength(2)").hasMessageContaining("maxSessions(256)");
    }

    @Test
    void aRecordWithAConnectionIdNoSessionHoldsIsDroppedAndCounted() throws Exception {
        try (DtlsServer server = DtlsServer.bind(withConnectionIds(4), ANY_LOOPBACK);
             DatagramChannel client = DatagramChannel.open().bind(ANY_LOOPBACK)) {
            ByteBuffer record = ByteBuffer.allocate(13 + 4 + 8);
            record.put((byte) 25).putShort((short) 0xfefd).putShort((short) 1).putShort((short) 0).putInt(5)
                    .putInt(0x0badcafe).putShort((short) 8).putLong(42).flip();
            client.send(record, server.localAddress());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (server.stats().dropped(DropReason.UNKNOWN_CONNECTION_ID) == 0) {
                assertThat(Instant.now()).as("the record must be dropped as an unknown CID: " + server.stats())
                        .isBefore(deadline);
                Thread.onSpinWait();
            }
            assertThat(server.stats().liveSessions()).isZero();
            assertThat(server.stats().datagramsIn()).as("counted once, by the server").isEqualTo(1);
        }
    }
}
