package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.PeerVerification;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtls4j server --jfr FILE}: the recording holds the dtls4j events and only them, and a bad path is refused. */
class ServerRecordingTest {

    @TempDir
    Path dir;

    @Test
    void theRecordingHoldsTheDtls4jEventsOfAHandshakeAndNothingElse() throws Exception {
        Path file = dir.resolve("server.jfr");
        DtlsProvider provider = Dtls.defaultProvider();
        ServerRecording recording = ServerRecording.start(file);
        try (DtlsContext server = provider.newContext(new CommonOptions().config(true));
             DtlsContext client = provider.newContext(DtlsConfig.builder().peerVerification(PeerVerification.NONE).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            try (DtlsConnection c = DtlsClient.connect(client, listener.localAddress(), Duration.ofSeconds(10))) {
                listener.accept(Duration.ofSeconds(10));
            }
        } finally {
            recording.finish();
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertTrue(events.stream().allMatch(e -> e.getEventType().getName().startsWith("org.dtls4j.")),
                "only dtls4j events: " + events.stream().map(e -> e.getEventType().getName()).distinct()
                        .collect(Collectors.toList()));
        List<String> roles = events.stream().filter(e -> e.getEventType().getName().equals("org.dtls4j.Handshake"))
                .map(e -> e.getString("role") + " " + e.getString("outcome")).sorted().collect(Collectors.toList());
        assertEquals(List.of("client established", "server established"), roles, "both sides' handshakes: " + events);
    }

    @Test
    void aFileInADirectoryThatDoesNotExistIsRefusedNamingTheOption() {
        DtlsConfigurationException e = assertThrows(DtlsConfigurationException.class,
                () -> ServerRecording.start(dir.resolve("missing").resolve("server.jfr")));
        assertTrue(e.getMessage().startsWith("--jfr ") && e.getMessage().contains("writable directory"), e.getMessage());
    }
}
