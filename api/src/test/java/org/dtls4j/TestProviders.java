package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;

/**
 * Providers registered for the registry tests in
 * {@code src/test/resources/META-INF/services/org.dtls4j.spi.DtlsProvider}.
 */
public final class TestProviders {

    static final String GAMMA_REASON = "libgamma.so.7 not found; install libgamma";

    private TestProviders() {
    }

    /** Available, priority 10, no optional capability. */
    public static final class Alpha extends Base {
        public Alpha() {
            super("alpha", 10, Availability.available(), EnumSet.noneOf(Capability.class));
        }
    }

    /** Available, priority 20, ALPN, SNI and PSK. */
    public static final class Beta extends Base {
        public Beta() {
            super("beta", 20, Availability.available(), EnumSet.of(Capability.ALPN, Capability.SNI, Capability.PSK));
        }
    }

    /** The highest priority, but unavailable. */
    public static final class Gamma extends Base {
        public Gamma() {
            super("gamma", 30, Availability.unavailable(GAMMA_REASON), EnumSet.allOf(Capability.class));
        }
    }

    /** Its constructor throws, so ServiceLoader raises a ServiceConfigurationError. */
    public static final class Broken extends Base {
        public Broken() {
            super("broken", 99, Availability.available(), Set.of());
            throw new IllegalStateException("broken on purpose");
        }
    }

    abstract static class Base implements DtlsProvider {
        private final String name;
        private final int priority;
        private final Availability availability;
        private final Set<Capability> capabilities;

        Base(String name, int priority, Availability availability, Set<Capability> capabilities) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
            this.capabilities = Set.copyOf(capabilities);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public Set<Capability> capabilities() {
            return capabilities;
        }

        @Override
        public DtlsContext newContext(DtlsConfig config) {
            // as DtlsProvider.newContext requires
            return new StubContext(name, Capabilities.requireUsable(this, config));
        }
    }

    /** A context that remembers where it came from and makes no sessions. */
    record StubContext(String providerName, DtlsConfig config) implements DtlsContext {
        @Override
        public DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener) {
            throw new UnsupportedOperationException("registry tests make no sessions");
        }

        @Override
        public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
            throw new UnsupportedOperationException("registry tests make no sessions");
        }

        @Override
        public void close() {
        }
    }
}
