package org.dtls4j.examples;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.Credentials;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsServer;
import org.dtls4j.spi.DtlsProvider;

/**
 * The interop tester's check: every available provider's client against every available
 * provider's server, over UDP on 127.0.0.1, one line per pair. {@code ./dtls4j interop} and the
 * {@code interop} module do this and much more; this is the shape to copy for a check of
 * your own (your certificates, your versions, your provider).
 *
 * <p>Run: {@code java -cp "examples/target/dtls4j-examples.jar:examples/target/lib/*"
 * org.dtls4j.examples.ProviderMatrix server.pem server.key}.
 */
public final class ProviderMatrix {

    private ProviderMatrix() {
    }

    /**
     * Prints one line per client/server pair and exits non-zero if any pair failed.
     *
     * @param args the server's certificate chain PEM (also trusted by the clients) and key PEM
     * @throws Exception if the files cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ProviderMatrix CERT.pem KEY.pem");
            System.exit(2);
        }
        DtlsConfig server = DtlsConfig.builder().credentials(Credentials.fromPem(Path.of(args[0]), Path.of(args[1]))).build();
        DtlsConfig client = DtlsConfig.builder().trustedCertificates(Path.of(args[0])).build();
        List<String> lines = run(server, client);
        lines.forEach(System.out::println);
        System.exit(lines.stream().anyMatch(l -> l.contains("FAILED")) ? 1 : 0);
    }

    // README: interop-matrix
    /**
     * {@return one line per ordered pair of available providers: the session each pair
     * negotiated over UDP, or why it failed}
     *
     * @param serverConfig the servers' configuration
     * @param clientConfig the clients' configuration
     */
    public static List<String> run(DtlsConfig serverConfig, DtlsConfig clientConfig) {
        List<DtlsProvider> available = Dtls.providers().stream().filter(p -> p.availability().isAvailable()).toList();
        List<String> lines = new ArrayList<>();
        for (DtlsProvider serverProvider : available) {
            for (DtlsProvider clientProvider : available) {
                String pair = clientProvider.name() + " client -> " + serverProvider.name() + " server: ";
                try (DtlsContext serverContext = serverProvider.newContext(serverConfig);
                     DtlsContext clientContext = clientProvider.newContext(clientConfig);
                     DtlsServer server = DtlsServer.bind(serverContext, new InetSocketAddress("127.0.0.1", 0));
                     DtlsConnection connection = DtlsClient.connect(clientContext, server.localAddress())) {
                    lines.add(pair + connection.info());
                } catch (Exception e) {                 // a refused config, a failed handshake
                    lines.add(pair + "FAILED " + e);
                }
            }
        }
        return lines;
    }
    // README: end
}
