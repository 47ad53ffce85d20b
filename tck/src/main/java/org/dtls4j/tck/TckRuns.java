package org.dtls4j.tck;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Runs a TCK class once per pair of providers and protocol version they both declare,
 * each run named by its version (and, across backends, by its providers).
 *
 * <p>The versions the TCK holds a provider to are {@link #TCK_VERSIONS}: DTLS 1.0 (RFC 8996
 * deprecates it) is left to each provider's own tests. The pairs come from a probe instance
 * of the test class: its {@link TckTarget#clientProvider()} and
 * {@link TckTarget#serverProvider()}, or, for a {@link CrossProviderTck}, every ordered pair
 * of two different providers it lists.
 */
final class TckRuns implements ClassTemplateInvocationContextProvider {

    /** The protocol versions the TCK runs its contracts in, when the providers declare them. */
    static final Set<ProtocolVersion> TCK_VERSIONS = EnumSet.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return TckTarget.class.isAssignableFrom(context.getRequiredTestClass());
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        TckTarget probe = (TckTarget) ReflectionSupport.newInstance(context.getRequiredTestClass());
        boolean cross = probe instanceof CrossProviderTck;
        List<ClassTemplateInvocationContext> runs = new ArrayList<>();
        for (DtlsProvider[] pair : pairs(probe)) {
            for (ProtocolVersion v : commonVersions(pair[0], pair[1])) {
                runs.add(new Run(pair[0], pair[1], v, cross));
            }
        }
        return runs.stream();
    }

    @Override
    public boolean mayReturnZeroClassTemplateInvocationContexts(ExtensionContext context) {
        // Fewer than two providers make no cross pair; that is not an error.
        return TckTarget.class.isAssignableFrom(context.getRequiredTestClass())
                && CrossProviderTck.class.isAssignableFrom(context.getRequiredTestClass());
    }

    private static List<DtlsProvider[]> pairs(TckTarget probe) {
        List<DtlsProvider[]> out = new ArrayList<>();
        if (probe instanceof CrossProviderTck cross) {
            for (DtlsProvider client : cross.providers()) {
                for (DtlsProvider server : cross.providers()) {
                    if (!client.name().equals(server.name())) {
                        out.add(new DtlsProvider[] {client, server});
                    }
                }
            }
        } else {
            out.add(new DtlsProvider[] {probe.clientProvider(), probe.serverProvider()});
        }
        return out;
    }

    /** The TCK versions both providers declare, oldest first. */
    static List<ProtocolVersion> commonVersions(DtlsProvider client, DtlsProvider server) {
        Set<ProtocolVersion> common = EnumSet.copyOf(TCK_VERSIONS);
        common.retainAll(Capabilities.protocolVersions(client));
        common.retainAll(Capabilities.protocolVersions(server));
        return List.copyOf(common);
    }

    /** How a run is named in reports: its version, and its providers when they differ. */
    static String describe(DtlsProvider client, DtlsProvider server, ProtocolVersion version) {
        return client.name().equals(server.name()) ? version.standardName()
                : client.name() + " client, " + server.name() + " server, " + version.standardName();
    }

    /** One run of the class. */
    private record Run(DtlsProvider client, DtlsProvider server, ProtocolVersion version, boolean cross)
            implements ClassTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return cross ? describe(client, server, version) : version.standardName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new TckCondition(client, server, version));
        }
    }
}
