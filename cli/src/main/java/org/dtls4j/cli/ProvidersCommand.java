package org.dtls4j.cli;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dtls4j.Dtls;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import picocli.CommandLine.Command;

/** {@code dtls4j providers}: what is installed and whether it works here. */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "List each provider: available or not (with the reason), priority, capabilities, protocol versions.")
final class ProvidersCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-14s %-9s %8s  %s%n", "provider", "status", "priority", "capabilities / reason");
        for (DtlsProvider p : Dtls.providers()) {
            boolean ok = p.availability().isAvailable();
            System.out.printf("%-14s %-9s %8d  %s%n", p.name(), ok ? "available" : "missing", p.priority(),
                    ok ? p.capabilities() : p.availability().reason().orElse(""));
            if (ok) {
                System.out.printf("%-14s versions: %s%n", "", Capabilities.protocolVersions(p).stream()
                        .map(ProtocolVersion::standardName).sorted().collect(Collectors.joining(", ")));
                for (String note : p.notes()) {
                    System.out.printf("%-14s note: %s%n", "", note);
                }
            }
        }
        return 0;
    }
}
