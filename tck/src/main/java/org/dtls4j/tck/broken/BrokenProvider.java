package org.dtls4j.tck.broken;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.DtlsProvider;

/**
 * A real provider with one rule broken: the configuration it passes on, the sessions it
 * makes, or both are rewritten by the breakage.
 */
final class BrokenProvider implements DtlsProvider {

    private final DtlsProvider real;
    private final String name;
    private final UnaryOperator<DtlsConfig> configRewrite;
    private final SessionWrapper sessionWrapper;
    private final boolean swallowCapabilityRefusal;
    private final Cookies cookies;
    private final Supplier<Map<String, Long>> liveObjects;

    /** What the listener gets of a backend's own cookies ({@link BackendCookies}). */
    enum Cookies {
        /** The backend's cookies, unchanged. */
        PASSED,
        /** None: the context does not say it has cookies of its own. */
        HIDDEN,
        /** None for a datagram that holds only the first fragment of its ClientHello. */
        NONE_FOR_FRAGMENTS
    }

    /** Wraps a session made for a listener; the listener given to the real session may be wrapped too. */
    interface SessionWrapper {
        DtlsSession wrap(DtlsSessionListener listener, Function<DtlsSessionListener, DtlsSession> make);
    }

    BrokenProvider(DtlsProvider real, UnaryOperator<DtlsConfig> configRewrite,
                   SessionWrapper sessionWrapper, boolean swallowCapabilityRefusal) {
        this(real, configRewrite, sessionWrapper, swallowCapabilityRefusal, Cookies.PASSED);
    }

    /** @param cookies what the listener gets of the backend's own cookies */
    BrokenProvider(DtlsProvider real, UnaryOperator<DtlsConfig> configRewrite,
                   SessionWrapper sessionWrapper, boolean swallowCapabilityRefusal, Cookies cookies) {
        this(real, real.name(), configRewrite, sessionWrapper, swallowCapabilityRefusal, cookies, real::liveObjects);
    }

    /**
     * @param name the provider's name
     * @param liveObjects what the provider reports as its live objects
     */
    BrokenProvider(DtlsProvider real, String name, SessionWrapper sessionWrapper, Supplier<Map<String, Long>> liveObjects) {
        this(real, name, c -> c, sessionWrapper, false, Cookies.PASSED, liveObjects);
    }

    private BrokenProvider(DtlsProvider real, String name, UnaryOperator<DtlsConfig> configRewrite,
                           SessionWrapper sessionWrapper, boolean swallowCapabilityRefusal, Cookies cookies,
                           Supplier<Map<String, Long>> liveObjects) {
        this.cookies = cookies;
        this.real = real;
        this.name = name;
        this.configRewrite = configRewrite;
        this.sessionWrapper = sessionWrapper;
        this.swallowCapabilityRefusal = swallowCapabilityRefusal;
        this.liveObjects = liveObjects;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return real.priority();
    }

    @Override
    public Availability availability() {
        return real.availability();
    }

    @Override
    public Set<Capability> capabilities() {
        return real.capabilities();
    }

    @Override
    public Map<String, Long> liveObjects() {
        return liveObjects.get();
    }

    @Override
    public DtlsContext newContext(DtlsConfig config) {
        DtlsContext context;
        try {
            context = real.newContext(configRewrite.apply(config));
        } catch (org.dtls4j.DtlsUnsupportedCapabilityException e) {
            if (!swallowCapabilityRefusal) {
                throw e;
            }
            // The silent downgrade the contract forbids: carry on without the feature.
            context = real.newContext(DtlsConfig.builder().build());
        }
        boolean backendCookies = context instanceof BackendCookies && cookies != Cookies.HIDDEN;
        return backendCookies ? new WithBackendCookies(context, sessionWrapper, cookies == Cookies.NONE_FOR_FRAGMENTS)
                : new Wrapped(context, sessionWrapper);
    }

    /** The real context with its sessions wrapped; the listener sees no backend cookies. */
    private static class Wrapped implements DtlsContext {
        final DtlsContext inner;
        private final SessionWrapper sessionWrapper;

        Wrapped(DtlsContext inner, SessionWrapper sessionWrapper) {
            this.inner = inner;
            this.sessionWrapper = sessionWrapper;
        }

        @Override
        public String providerName() {
            return inner.providerName();
        }

        @Override
        public DtlsConfig config() {
            return inner.config();
        }

        @Override
        public DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener) {
            return sessionWrapper.wrap(listener, l -> inner.newClientSession(peer, l));
        }

        @Override
        public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
            return sessionWrapper.wrap(listener, l -> inner.newServerSession(peer, l));
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** As {@link Wrapped}, passing on the real context's backend cookies, or all but those for fragments. */
    private static final class WithBackendCookies extends Wrapped implements BackendCookies {
        private final boolean noneForFragments;

        WithBackendCookies(DtlsContext inner, SessionWrapper sessionWrapper, boolean noneForFragments) {
            super(inner, sessionWrapper);
            this.noneForFragments = noneForFragments;
        }

        @Override
        public Optional<byte[]> cookieFor(java.nio.ByteBuffer clientHello) {
            int hs = clientHello.position() + DtlsRecords.HEADER_SIZE;
            if (noneForFragments && clientHello.limit() - hs >= DtlsRecords.HANDSHAKE_HEADER_SIZE
                    && DtlsRecords.u24(clientHello, hs + 9) < DtlsRecords.u24(clientHello, hs + 1)) {
                return Optional.empty();
            }
            return ((BackendCookies) inner).cookieFor(clientHello);
        }
    }
}
