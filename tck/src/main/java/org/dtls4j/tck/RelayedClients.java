package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;

/**
 * A client with connection IDs behind a {@link UdpRelay}, connected to an echoing
 * {@link DtlsServer} with connection IDs: the setting of the UDP rules of
 * {@link MigrationContract} and {@link ReusePortContract}, which differ in the server's I/O
 * threads.
 */
final class RelayedClients {

    static final Duration WAIT = MigrationContract.WAIT;

    private RelayedClients() {
    }

    /** Connects a client through a relay to an echoing server bound with {@code options}, and runs {@code test}. */
    static void run(TckRun run, TransportOptions options, MigrationContract.RelayedClient test) throws Exception {
        EchoRecorder echoes = new EchoRecorder();
        try (DtlsContext server = run.serverProvider().newContext(
                     UdpTransportContract.udpServer(run).connectionIdLength(MigrationContract.CID).build());
             DtlsContext client = run.clientProvider().newContext(
                     UdpTransportContract.udpClient(run).connectionIdLength(MigrationContract.CID).build());
             DtlsServer listener = DtlsServer.bind(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     options, echoes);
             UdpRelay relay = new UdpRelay(listener.localAddress());
             DtlsConnection c = DtlsClient.connect(client, relay.address(), WAIT)) {
            DtlsConnection accepted = Await.next(echoes.connections(), WAIT, () -> "the server's connection");
            test.run(listener, relay, c, accepted, echoes);
        }
    }

    /** Sends {@code tag} and waits for its echo. */
    static void echo(DtlsConnection c, int tag) throws Exception {
        c.send(EchoRecorder.tagged(tag));
        ByteBuffer in = ByteBuffer.allocate(16);
        assertEquals(4, c.receive(in, WAIT), "the echo of record " + tag + " reaches the client");
        assertEquals(tag, in.getInt(0), "the echo of record " + tag);
    }
}
