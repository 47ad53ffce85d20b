package org.dtls4j.tck;

import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every TCK contract runs against: the provider under test, and optionally a
 * different provider for the other end (to run a contract across two backends).
 *
 * <p>A class that implements it runs once per protocol version that both ends declare
 * and the TCK covers (DTLS 1.2, DTLS 1.3); each run is named by its version, and each
 * test reads its run (version, providers, name) from a {@link TckRun} parameter. Tests are
 * skipped, with the reason, when a provider is unavailable on this machine (for example
 * libssl is missing), lacks a capability a contract needs, or the rule belongs to another
 * version ({@link ForVersions}).
 *
 * <p>The TCK makes one extra instance of the class, with its no-argument constructor, to
 * read the providers before the runs start.
 *
 * @since 0.1
 */
@ClassTemplate
@DisplayNameGeneration(TckNames.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TckRuns.class)
public interface TckTarget {

    /** {@return the provider under test} */
    DtlsProvider provider();

    /** {@return the provider whose sessions play the client; {@link #provider()} by default} */
    default DtlsProvider clientProvider() {
        return provider();
    }

    /** {@return the provider whose sessions play the server; {@link #provider()} by default} */
    default DtlsProvider serverProvider() {
        return provider();
    }
}
