package org.dtls4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
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

/**
 * {@code dtls4j client}: sends stdin lines, prints replies. With {@code --reconnects N} it reads
 * standard input to its end first, then connects 1 + N times from a new socket with the same
 * context, so each reconnection may resume the session; each connection's first line on
 * standard error says whether it did ("resumed" in its info).
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect to a DTLS server, send each line of standard input as one record, print the replies.")
final class ClientCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server.")
    String target;

    @Option(names = "--wait", description = "Milliseconds to wait for each reply (default ${DEFAULT-VALUE}).")
    long waitMillis = 2000;

    @Option(names = "--reconnects", paramLabel = "N", description = "After the first connection, connect N more times with"
            + " the same context (each may resume), sending the same lines; reads standard input to its end first.")
    int reconnects;

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + target + "'");
        }
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(target.substring(0, colon)),
                Integer.parseInt(target.substring(colon + 1)));
        if (reconnects < 0) {
            throw new IllegalArgumentException("--reconnects takes 0 or more, was " + reconnects);
        }
        DtlsProvider provider = common.provider();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (DtlsContext context = provider.newContext(common.config(false))) {
            if (reconnects == 0) {
                return converse(context, server, provider, in::readLine);
            }
            List<String> lines = in.lines().toList();
            for (int i = 0; i <= reconnects; i++) {
                Iterator<String> next = lines.iterator();
                if (converse(context, server, provider, () -> next.hasNext() ? next.next() : null) != 0) {
                    return 1;
                }
            }
        }
        return 0;
    }

    /** One connection: sends each line {@code lines} gives (until null), prints each reply. */
    private int converse(DtlsContext context, InetSocketAddress server, DtlsProvider provider, Lines lines) throws Exception {
        try (DtlsConnection c = DtlsClient.connect(context, server)) {
            System.err.println("connected to " + server + " with " + provider.name() + ": " + c.info());
            ByteBuffer reply = ByteBuffer.allocate(65536);
            String line;
            while ((line = lines.next()) != null) {
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

    /** The next line to send, or null at the end. */
    private interface Lines {
        String next() throws IOException;
    }
}
