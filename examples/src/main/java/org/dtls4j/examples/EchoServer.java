package org.dtls4j.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.dtls4j.Credentials;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;

/**
 * The application developer's server: one UDP socket, any number of peers, every record
 * echoed to its sender, on the server's I/O thread (no thread per peer).
 *
 * <p>Run: {@code java -cp "examples/target/dtls4j-examples.jar:examples/target/lib/*"
 * org.dtls4j.examples.EchoServer server.pem server.key 4433}. The provider is whichever
 * {@code -Ddtls4j.provider}, {@code DTLS4J_PROVIDER} or priority selects.
 */
public final class EchoServer {

    private EchoServer() {
    }

    /**
     * Serves until the process is stopped.
     *
     * @param args certificate chain PEM, private key PEM, and the UDP port (0: any free port)
     * @throws Exception if the files cannot be read or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: EchoServer CERT.pem KEY.pem PORT");
            System.exit(2);
        }
        DtlsConfig config = DtlsConfig.builder()
                .credentials(Credentials.fromPem(Path.of(args[0]), Path.of(args[1])))
                .build();
        try (DtlsContext context = Dtls.newContext(config);
             DtlsServer server = start(context, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])))) {
            System.out.println("echo server (" + context.providerName() + ") on " + server.localAddress());
            Thread.currentThread().join();
        }
    }

    // README: app-server
    /**
     * {@return a server on {@code address} that echoes every record to its sender}
     *
     * @param context the context that makes the server's sessions
     * @param address where to bind
     * @throws IOException if the address cannot be bound
     */
    public static DtlsServer start(DtlsContext context, InetSocketAddress address) throws IOException {
        return DtlsServer.bind(context, address, TransportOptions.defaults(), echo());
    }

    /** {@return a handler that sends every record back to its sender, on the server's I/O thread} */
    public static DtlsConnectionHandler echo() {
        return new DtlsConnectionHandler() {
            @Override
            public void onConnected(DtlsConnection connection) {
                System.out.println("connected " + connection.peerAddress() + " " + connection.info());
            }

            @Override
            public void onRecord(DtlsConnection connection, ByteBuffer record) {
                try {
                    connection.send(record);                // one record, one datagram
                } catch (IOException | DtlsException e) {
                    System.out.println("cannot echo to " + connection.peerAddress() + ": " + e);
                }
            }

            @Override
            public void onFailed(DtlsConnection connection, DtlsException failure) {
                System.out.println("failed " + connection.peerAddress() + ": " + failure.getMessage());
            }
        };
    }
    // README: end
    // README: app-blocking
    /**
     * Serves one connection in the blocking style (a thread of yours per connection): waits for
     * a peer whose handshake completed, echoes its first record, and closes.
     *
     * @param server a server bound without a handler
     * @param timeout how long to wait for the peer and for its record
     * @throws IOException if the connection fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static void echoOne(DtlsServer server, Duration timeout) throws IOException, InterruptedException {
        try (DtlsConnection connection = server.accept(timeout)) {       // handshake already completed
            ByteBuffer buffer = ByteBuffer.allocate(connection.maxRecordSize());
            if (connection.receive(buffer, timeout) >= 0) {              // -1: end of stream
                connection.send(buffer.flip());                          // one record, one datagram
            }
        }
    }
    // README: end
}
