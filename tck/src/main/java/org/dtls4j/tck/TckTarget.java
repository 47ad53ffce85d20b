package org.dtls4j.tck;

import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every TCK contract runs against: the provider under test, and optionally a
 * different provider for the other end (to run a contract across two backends).
 *
 * <p>Tests are skipped, with the reason, when a provider is unavailable on this machine
 * (for example libssl is missing) or lacks a capability a contract needs.
 *
 * @since 0.1
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TckCondition.class)
public interface TckTarget {

    /** The provider under test. */
    DtlsProvider provider();

    /** The provider whose sessions play the client; {@link #provider()} by default. */
    default DtlsProvider clientProvider() {
        return provider();
    }

    /** The provider whose sessions play the server; {@link #provider()} by default. */
    default DtlsProvider serverProvider() {
        return provider();
    }
}
