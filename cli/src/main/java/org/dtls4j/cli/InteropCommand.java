package org.dtls4j.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PeerVerification;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.net.NetworkConditions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtls4j interop}: every available provider's client against every available
 * provider's server, with ephemeral ECDSA P-256 credentials made on the fly.
 */
@Command(name = "interop", mixinStandardHelpOptions = true,
        description = "Run every provider's client against every provider's server (N x N) and print the matrix.")
final class InteropCommand implements Callable<Integer> {

    @Option(names = "--loss", description = "Datagram loss rate on the in-memory link, 0 to 0.5 (default ${DEFAULT-VALUE}).")
    double loss = 0.0;

    @Option(names = "--timeout", description = "Seconds each pair may take (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 10;

    @Override
    public Integer call() {
        if (loss < 0 || loss > 0.5) {
            throw new IllegalArgumentException("--loss must be between 0 and 0.5, was " + loss);
        }
        List<DtlsProvider> providers = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            if (p.availability().isAvailable()) {
                providers.add(p);
            } else {
                System.out.println("skipping " + p.name() + ": " + p.availability().reason().orElse("unavailable"));
            }
        }
        if (providers.isEmpty()) {
            System.err.println("dtls4j: no DTLS provider is available");
            return 1;
        }
        System.out.println("making ephemeral ECDSA P-256 credentials ...");
        TckPki pki = TckPki.get();
        DtlsConfig client = DtlsConfig.builder().trustedCertificates(pki.caCertificate())
                .credentials(pki.ecClient()).retransmission(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
        DtlsConfig server = DtlsConfig.builder().credentials(pki.ecServer()).trustedCertificates(pki.caCertificate())
                .peerVerification(PeerVerification.REQUIRED).retransmission(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build();

        System.out.printf("%n| client \\ server | %s |%n", String.join(" | ", providers.stream().map(DtlsProvider::name).toList()));
        System.out.println("|---|" + "---|".repeat(providers.size()));
        int failed = 0;
        int total = 0;
        for (DtlsProvider c : providers) {
            StringBuilder row = new StringBuilder("| " + c.name() + " |");
            for (DtlsProvider s : providers) {
                total++;
                String cell;
                try {
                    cell = runPair(c, s, client, server);
                } catch (RuntimeException | AssertionError e) {
                    failed++;
                    cell = "FAIL: " + firstLine(e);
                }
                row.append(' ').append(cell).append(" |");
            }
            System.out.println(row);
        }
        System.out.printf("%n%d of %d pairs passed (in-memory link, loss %.0f%%, mutual ECDSA authentication,"
                + " data both ways, close_notify)%n", total - failed, total, loss * 100);
        return failed == 0 ? 0 : 1;
    }

    private String runPair(DtlsProvider c, DtlsProvider s, DtlsConfig client, DtlsConfig server) {
        long start = System.nanoTime();
        try (SessionPair pair = SessionPair.builder(c, s).clientConfig(client).serverConfig(server)
                .conditions(NetworkConditions.CLEAN.withLoss(loss)).seed(42).build().start()) {
            pair.awaitEstablished(Duration.ofSeconds(timeoutSeconds));
            long handshake = System.nanoTime() - start;
            DtlsSessionInfo info = pair.client().established().join();
            pair.client().send("ping".getBytes());
            pair.server().send("pong".getBytes());
            expect(pair.server().records().poll(timeoutSeconds, TimeUnit.SECONDS), "ping");
            expect(pair.client().records().poll(timeoutSeconds, TimeUnit.SECONDS), "pong");
            pair.client().closeSession();
            pair.server().closed().get(timeoutSeconds, TimeUnit.SECONDS);
            return String.format("pass %.0f ms %s", handshake / 1e6, info.cipherSuite());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("close_notify did not arrive: " + e);
        }
    }

    private static void expect(byte[] got, String want) {
        if (got == null || !want.equals(new String(got))) {
            throw new IllegalStateException("expected '" + want + "', got " + (got == null ? "nothing" : new String(got)));
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
