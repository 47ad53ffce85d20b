package org.dtls4j.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsClient;

/**
 * The application developer's client: connects, verifies the server against a CA, sends one
 * record and prints the reply.
 *
 * <p>Run: {@code java -cp "examples/target/dtls4j-examples.jar:examples/target/lib/*"
 * org.dtls4j.examples.EchoClient server.pem 127.0.0.1 4433 hello}.
 */
public final class EchoClient {

    private EchoClient() {
    }

    /**
     * Sends one message and prints the echo.
     *
     * @param args trusted CA PEM, server host, server port, message
     * @throws Exception if the CA file cannot be read, the handshake fails or no reply comes
     *     within 5 seconds
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: EchoClient CA.pem HOST PORT MESSAGE");
            System.exit(2);
        }
        DtlsConfig config = DtlsConfig.builder()
                .trustedCertificates(Path.of(args[0]))
                .build();
        try (DtlsContext context = Dtls.newContext(config)) {
            String reply = exchange(context, new InetSocketAddress(args[1], Integer.parseInt(args[2])), args[3]);
            System.out.println("reply: " + reply);
        }
    }

    // README: app-client
    /**
     * {@return the server's reply to {@code message}, sent as one record}
     *
     * @param context the client context (trust, versions, provider)
     * @param server the server's address
     * @param message what to send
     * @throws IOException if the socket cannot be opened
     * @throws org.dtls4j.DtlsException if the handshake fails ({@code DtlsAlertException} says
     *     which alert), or no reply comes within 5 seconds ({@code DtlsTimeoutException})
     */
    public static String exchange(DtlsContext context, InetSocketAddress server, String message) throws IOException {
        try (DtlsConnection connection = DtlsClient.connect(context, server)) {
            connection.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(connection.maxRecordSize());
            connection.receive(reply, Duration.ofSeconds(5));    // DtlsTimeoutException: still usable
            return StandardCharsets.UTF_8.decode(reply.flip()).toString();
        }
    }
    // README: end
}
