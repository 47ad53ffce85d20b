package org.dtls4j.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.Dtls;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

/** Providers by name, as ServiceLoader finds them: this module names no provider class. */
final class Providers {

    private Providers() {
    }

    /**
     * The provider called {@code name}, or a skipped test, with the reason, if this build has no
     * such provider module or the provider is unavailable here.
     */
    static DtlsProvider available(String name) {
        DtlsProvider p = Dtls.providers().stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(p != null, () -> "provider '" + name + "' is not in this build");
        Assumptions.assumeTrue(p.availability().isAvailable(),
                () -> "provider '" + name + "' is unavailable here: " + p.availability().reason().orElse(""));
        return p;
    }

    /**
     * The names of every ordered pair (client, server) of available providers that both
     * declare {@code version}, a provider with itself included: the arguments of a
     * parameterized test.
     */
    static Stream<Arguments> pairsDeclaring(ProtocolVersion version) {
        List<Arguments> out = new ArrayList<>();
        for (DtlsProvider c : Dtls.providers()) {
            for (DtlsProvider s : Dtls.providers()) {
                if (declares(c, version) && declares(s, version)) {
                    out.add(Arguments.of(c.name(), s.name()));
                }
            }
        }
        return out.stream();
    }

    private static boolean declares(DtlsProvider p, ProtocolVersion version) {
        return p.availability().isAvailable() && Capabilities.protocolVersions(p).contains(version);
    }

    /** Every provider's name with every one of {@code cases}: the arguments of a parameterized test. */
    static Stream<Arguments> eachWith(Enum<?>[] cases) {
        List<Arguments> out = new ArrayList<>();
        for (DtlsProvider p : Dtls.providers()) {
            for (Enum<?> c : cases) {
                out.add(Arguments.of(p.name(), c));
            }
        }
        return out.stream();
    }

}
