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
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.net.NetworkConditions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtls4j interop}: every available provider's client against every available
 * provider's server, once per protocol version both declare (a table per version), with
 * ephemeral ECDSA P-256 credentials made on the fly. An unavailable provider (wolfSSL
 * without its library) is listed with its reason and left out.
 */
@Command(name = "interop", mixinStandardHelpOptions = true,
        description = "Run every provider's client against every provider's server (N x N) and print the matrix.")
final class InteropCommand implements Callable<Integer> {

    /** The versions the matrix is run in, where providers declare them. */
    private static final List<ProtocolVersion> VERSIONS = List.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);

    @Option(names = "--loss", description = "Datagram loss rate on the in-memory link, 0 to 0.5 (default ${DEFAULT-VALUE}).")
    double loss = 0.0;

    @Option(names = "--timeout", description = "Seconds each pair may take (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 10;

    @Option(names = "--peers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run every provider against the openssl and gnutls-cli commands, where installed"
                    + " (default ${DEFAULT-VALUE}; --no-peers skips them).")
    boolean peers = true;

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
                System.out.println(p.name() + ": unavailable, left out: " + p.availability().reason().orElse("(no reason given)"));
            }
        }
        if (providers.isEmpty()) {
            System.err.println("dtls4j: no DTLS provider is available");
            return 1;
        }
        System.out.println("making ephemeral ECDSA P-256 credentials ...");
        TckPki pki = TckPki.get();
        DtlsConfig.Builder client = DtlsConfig.builder().trustedCertificates(pki.caCertificate())
                .credentials(pki.ecClient()).retransmission(Duration.ofMillis(50), Duration.ofSeconds(1));
        DtlsConfig.Builder server = DtlsConfig.builder().credentials(pki.ecServer()).trustedCertificates(pki.caCertificate())
                .peerVerification(PeerVerification.REQUIRED).retransmission(Duration.ofMillis(50), Duration.ofSeconds(1));
        int failed = 0;
        int total = 0;
        for (ProtocolVersion v : VERSIONS) {
            List<DtlsProvider> speaking = providers.stream().filter(p -> speaks(p, v)).toList();
            if (speaking.isEmpty()) {
                continue;
            }
            client.protocolVersions(v);
            server.protocolVersions(v);
            System.out.printf("%n%s (the providers that declare it)%n%n| client \\ server | %s |%n", v.standardName(),
                    String.join(" | ", speaking.stream().map(DtlsProvider::name).toList()));
            System.out.println("|---|" + "---|".repeat(speaking.size()));
            for (DtlsProvider c : speaking) {
                StringBuilder row = new StringBuilder("| " + c.name() + " |");
                for (DtlsProvider s : speaking) {
                    total++;
                    String cell;
                    try {
                        cell = runPair(c, s, client.build(), server.build(), v);
                    } catch (RuntimeException | AssertionError e) {
                        failed++;
                        cell = "FAIL: " + firstLine(e);
                    }
                    row.append(' ').append(cell).append(" |");
                }
                System.out.println(row);
            }
        }
        System.out.printf("%n%d of %d pairs passed (per version both declare: mutual ECDSA authentication, data both ways"
                + " and close_notify on an in-memory link with %.0f%% loss, then a handshake and a record over UDP on"
                + " 127.0.0.1; each cell shows the version negotiated)%n", total - failed, total, loss * 100);
        failed += RebindingCheck.report(providers, client, server, VERSIONS, Duration.ofSeconds(timeoutSeconds));
        if (peers) {
            failed += externalPeers(providers);
        }
        return failed == 0 ? 0 : 1;
    }

    /** Every provider against each external peer command installed here; returns the failures. */
    private int externalPeers(List<DtlsProvider> providers) {
        ExternalPeers.Check[] checks = ExternalPeers.Check.values();
        StringBuilder header = new StringBuilder("%n| provider |");
        for (ExternalPeers.Check c : checks) {
            header.append(' ').append(c.title).append(" |");
        }
        System.out.printf(header + "%n|---|" + "---|".repeat(checks.length) + "%n");
        int failed = 0;
        int passed = 0;
        try (ExternalPeers external = new ExternalPeers(Duration.ofSeconds(timeoutSeconds))) {
            for (DtlsProvider p : providers) {
                StringBuilder row = new StringBuilder("| " + p.name() + " |");
                for (ExternalPeers.Check c : checks) {
                    String missing = ExternalPeers.unavailable(c);
                    String cell;
                    if (missing != null) {
                        cell = c.program + " not installed";
                    } else {
                        try {
                            cell = external.run(c, p);
                            passed++;
                        } catch (Exception | AssertionError e) {
                            failed++;
                            cell = "FAIL: " + firstLine(e);
                        }
                    }
                    row.append(' ').append(cell).append(" |");
                }
                System.out.println(row);
            }
        } catch (java.io.IOException e) {
            System.out.println("cannot write the peers' PEM files: " + e.getMessage());
            return 1;
        }
        System.out.printf("%n%d external peer checks passed, %d failed (ECDSA P-256, the CA and host name checked where SNI is declared,"
                + " a line each way over UDP on 127.0.0.1)%n", passed, failed);
        return failed;
    }

    /** Whether {@code p} declares {@code v}. */
    private static boolean speaks(DtlsProvider p, ProtocolVersion v) {
        return Capabilities.protocolVersions(p).contains(v);
    }

    private String runPair(DtlsProvider c, DtlsProvider s, DtlsConfig client, DtlsConfig server, ProtocolVersion v) {
        long start = System.nanoTime();
        try (SessionPair pair = SessionPair.builder(c, s).clientConfig(client).serverConfig(server)
                .conditions(NetworkConditions.CLEAN.withLoss(loss)).seed(42).build().start()) {
            pair.awaitEstablished(Duration.ofSeconds(timeoutSeconds));
            long handshake = System.nanoTime() - start;
            DtlsSessionInfo info = pair.client().established().join();
            requireVersion(v, info, "in memory");
            pair.client().send("ping".getBytes());
            pair.server().send("pong".getBytes());
            expect(pair.server().records().poll(timeoutSeconds, TimeUnit.SECONDS), "ping");
            expect(pair.client().records().poll(timeoutSeconds, TimeUnit.SECONDS), "pong");
            pair.client().closeSession();
            pair.server().closed().get(timeoutSeconds, TimeUnit.SECONDS);
            udp(c, s, client, server, v);
            return String.format("pass %.0f ms %s %s", handshake / 1e6, info.protocolVersion().standardName(),
                    info.cipherSuite());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("close_notify did not arrive: " + e);
        }
    }

    /** The same pair over UDP on 127.0.0.1, through the listener's cookie exchange. */
    private void udp(DtlsProvider c, DtlsProvider s, DtlsConfig client, DtlsConfig server, ProtocolVersion v) {
        try (org.dtls4j.DtlsContext sctx = s.newContext(server);
             org.dtls4j.DtlsContext cctx = c.newContext(client);
             org.dtls4j.DtlsServer listener = org.dtls4j.DtlsServer.bind(sctx,
                     new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
             org.dtls4j.DtlsConnection conn = org.dtls4j.DtlsClient.connect(cctx, listener.localAddress(),
                     Duration.ofSeconds(timeoutSeconds))) {
            org.dtls4j.DtlsConnection accepted = listener.accept(Duration.ofSeconds(timeoutSeconds));
            conn.send(java.nio.ByteBuffer.wrap("ping".getBytes()));
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(2048);
            if (accepted.receive(in, Duration.ofSeconds(timeoutSeconds)) != 4) {
                throw new IllegalStateException("over UDP: wrong record");
            }
            requireVersion(v, conn.info(), "over UDP");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("over UDP: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void requireVersion(ProtocolVersion want, DtlsSessionInfo info, String where) {
        if (info.protocolVersion() != want) {
            throw new IllegalStateException(where + ": negotiated " + info.protocolVersion().standardName() + ", configured "
                    + want.standardName());
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
