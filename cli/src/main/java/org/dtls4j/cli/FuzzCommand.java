package org.dtls4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.UdpFuzzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtls4j fuzz}: a real server over UDP against hostile datagrams, then the checks that it survived. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Send hostile datagrams to a DtlsServer on 127.0.0.1 (raw bytes and bogus headers; lying"
                + " ClientHellos; ClientHellos mutated past a valid cookie; forged records at an established session),"
                + " then check that a real client still connects and that threads, descriptors and heap are flat."
                + " Exits 1 if any provider fails.")
final class FuzzCommand implements Callable<Integer> {

    @Option(names = "--provider", description = "Provider to fuzz, or 'all' (default ${DEFAULT-VALUE}: every available one).")
    String provider = "all";

    @Option(names = "--datagrams", description = "Hostile datagrams per provider, a quarter per phase (default ${DEFAULT-VALUE}).")
    long datagrams = 100_000;

    @Option(names = "--seed", description = "Seed of every choice; the same seed sends the same datagrams (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--rounds", description = "Runs per provider, in one process, seed, seed+1, ...: a leak grows round after round,"
            + " what an allocator keeps once does not (default ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > 1000) {
            throw new IllegalArgumentException("--rounds must be between 1 and 1000");
        }
        if (datagrams < 4 || datagrams > 1_000_000_000L) {
            throw new IllegalArgumentException("--datagrams must be between 4 and 1000000000");
        }
        List<DtlsProvider> targets = new ArrayList<>();
        if (provider.equals("all")) {
            Dtls.providers().stream().filter(p -> p.availability().isAvailable()).forEach(targets::add);
        } else {
            targets.add(Dtls.provider(provider));
        }
        List<UdpFuzzer.Report> reports = new ArrayList<>();
        boolean crashed = false;
        for (DtlsProvider p : targets) {
            try {
                for (int round = 0; round < rounds; round++) {
                    reports.add(new UdpFuzzer(p, line -> System.err.println("fuzz: " + line)).run(datagrams, seed + round));
                }
            } catch (RuntimeException e) {       // the fuzzer's own failure: report it, fuzz the others
                crashed = true;
                System.err.println("fuzz: " + p.name() + ": the run itself failed:");
                e.printStackTrace();
            }
        }
        System.out.println();
        System.out.print(table(reports));
        return !crashed && reports.stream().allMatch(UdpFuzzer.Report::passed) ? 0 : 1;
    }

    /** One markdown row per provider and round: seed, datagrams, time, what reached the provider, sessions lost, resources before and after. */
    static String table(List<UdpFuzzer.Report> reports) {
        StringBuilder t = new StringBuilder("| provider | seed | datagrams | seconds | reached the provider | amplification (raw, hellos)"
                + " | established sessions lost | threads | fds | heap MiB | RSS MiB | alive after | result |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (UdpFuzzer.Report r : reports) {
            long sent = r.phases().stream().mapToLong(UdpFuzzer.Phase::sent).sum();
            t.append(String.format("| %s | %d | %,d | %.0f | %,d | %.2fx, %.2fx | %d | %d -> %d | %d -> %d | %.0f -> %.0f | %.0f -> %.0f | %s | %s |%n",
                    r.provider(), r.seed(), sent, r.seconds(), r.phases().get(2).reachedProvider(),
                    r.phases().get(0).amplification(), r.phases().get(1).amplification(), r.phases().get(3).sessionsLost(),
                    r.before().threads(), r.after().threads(), r.before().fileDescriptors(), r.after().fileDescriptors(),
                    r.before().heapBytes() / 1048576.0, r.after().heapBytes() / 1048576.0,
                    r.before().rssBytes() / 1048576.0, r.after().rssBytes() / 1048576.0,
                    r.aliveAfter() ? "yes" : "NO", r.passed() ? "pass" : "FAIL"));
        }
        return t.toString();
    }
}
