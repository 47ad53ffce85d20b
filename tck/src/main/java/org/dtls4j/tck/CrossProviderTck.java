package org.dtls4j.tck;

import java.util.List;
import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;

/**
 * Every contract across backends: one run per ordered pair of two different providers
 * (one plays the client, the other the server) and per protocol version both declare. A
 * provider found by {@link java.util.ServiceLoader} joins with no new test class.
 *
 * <pre>{@code
 * class CrossProviderTckTests implements CrossProviderTck {
 * }
 * }</pre>
 *
 * <p>Each provider's own {@link DtlsTck} class runs a provider against itself, so the pairs
 * here are cross pairs only. JUnit makes one instance per run and uses it on one thread at a
 * time; implementations need not be thread-safe.
 *
 * @since 0.1
 */
public interface CrossProviderTck extends DtlsTck {

    /** {@return the providers to pair: by default every provider {@link Dtls#providers()} finds} */
    default List<DtlsProvider> providers() {
        return Dtls.providers();
    }

    /**
     * Not used: each run takes its providers from its pair.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    default DtlsProvider provider() {
        throw new UnsupportedOperationException("a cross-provider run takes its providers from its pair: see TckRun");
    }
}
