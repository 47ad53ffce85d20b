package org.dtls4j.interop;

import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;

/** Providers by name, as ServiceLoader finds them: this module names no provider class. */
final class Providers {

    private Providers() {
    }

    /** The provider called {@code name}, available or not (the TCK skips unavailable ones). */
    static DtlsProvider named(String name) {
        return Dtls.providers().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no provider named '" + name + "' on the class path"));
    }
}
