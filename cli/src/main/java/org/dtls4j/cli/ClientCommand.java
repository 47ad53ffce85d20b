package org.dtls4j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsTimeoutException;
import org.dtls4j.spi.DtlsProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dtls4j client}: sends stdin lines, prints replies. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect to a DTLS server, send each line of standard input as one record, print the replies.")
final class ClientCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server.")
    String target;

    @Option(names = "--wait", description = "Milliseconds to wait for each reply (default ${DEFAULT-VALUE}).")
    long waitMillis = 2000;

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + target + "'");
        }
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(target.substring(0, colon)),
                Integer.parseInt(target.substring(colon + 1)));
        DtlsProvider provider = common.provider();
        try (DtlsContext context = provider.newContext(common.config(false));
             DtlsConnection c = DtlsClient.connect(context, server)) {
            System.err.println("connected to " + server + " with " + provider.name() + ": " + c.info());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            ByteBuffer reply = ByteBuffer.allocate(65536);
            String line;
            while ((line = in.readLine()) != null) {
                c.send(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
                reply.clear();
                try {
                    int n = c.receive(reply, Duration.ofMillis(waitMillis));
                    if (n < 0) {
                        System.err.println("the server closed the connection");
                        return 0;
                    }
                    System.out.print(new String(reply.array(), 0, n, StandardCharsets.UTF_8));
                    System.out.flush();
                } catch (DtlsTimeoutException e) {
                    System.err.println("(no reply within " + waitMillis + " ms)");
                }
            }
        }
        return 0;
    }
}
