package org.dtls4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.dtls4j.bench.Bench;
import org.dtls4j.bench.IoThreadsBenchmark;
import org.dtls4j.bench.ServerHandshakeCost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtls4j bench}: every provider's speed, with raw UDP for scale, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Handshakes/s and records/s per provider and protocol version in memory, UDP echo records/s against"
                + " raw UDP, and DTLS 1.2 vs 1.3 handshake times on a delayed link, in one run.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--seconds", description = "Seconds per measurement (default ${DEFAULT-VALUE}).")
    double seconds = 2;

    @Option(names = "--io-threads", description = "Instead: echo records/s and handshakes/s through one DtlsServer port"
            + " with 1 and with 2 I/O threads (SO_REUSEPORT) per provider, and the ratio.")
    boolean ioThreads;

    @Option(names = "--handshake-cost", description = "Instead: server process CPU per full and per resumed mutual-auth"
            + " handshake, every provider's DtlsServer and Californium Scandium each in a JVM of its own, the same"
            + " OpenSSL clients for all (see --handshakes).")
    boolean handshakeCost;

    @Option(names = "--handshakes", description = "With --handshake-cost: measured handshakes of each kind per server"
            + " (default ${DEFAULT-VALUE}).")
    int handshakes = 3000;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || seconds > 600) {
            throw new IllegalArgumentException("--seconds must be between 0 and 600");
        }
        if (handshakeCost) {
            if (handshakes < 1) {
                throw new IllegalArgumentException("--handshakes must be at least 1");
            }
            List<ServerHandshakeCost.Row> rows = ServerHandshakeCost.run(handshakes, ServerHandshakeCost.allServers(),
                    line -> System.err.println("bench: " + line));
            System.out.println();
            System.out.print(ServerHandshakeCost.table(rows, handshakes));
            return 0;
        }
        if (ioThreads) {
            int clients = 8;
            int handshakeThreads = 4;
            List<IoThreadsBenchmark.Row> rows = IoThreadsBenchmark.run(seconds, "all", clients, handshakeThreads,
                    line -> System.err.println("bench: " + line));
            System.out.println();
            System.out.print(IoThreadsBenchmark.table(rows, clients, handshakeThreads));
            return 0;
        }
        List<Bench.Row> rows = Bench.run(seconds, line -> System.err.println("bench: " + line));
        String delayed = Bench.delayedReport(line -> System.err.println("bench: " + line));
        System.out.println();
        System.out.print(Bench.table(rows));
        System.out.printf("%n%d cores; a row per protocol version the provider declares; UDP echo: 1 client, window 8,"
                + " 1200-byte payloads, 127.0.0.1%n", Runtime.getRuntime().availableProcessors());
        if (!delayed.isEmpty()) {
            System.out.printf("%n%s", delayed);
        }
        return 0;
    }
}
