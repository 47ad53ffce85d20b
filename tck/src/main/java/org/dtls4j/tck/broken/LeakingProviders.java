package org.dtls4j.tck.broken;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.DtlsProvider;

/**
 * Deliberately leaking providers, to prove that the session fuzzer's growth checks
 * ({@code org.dtls4j.tck.fuzz.SessionFuzzer}) catch each leak: every {@link Leak} wraps a real
 * provider whose server sessions each leave one thing behind. A provider author can run the
 * same check against their own provider.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class LeakingProviders {

    /** What the fuzzer's growth message names for {@link Leak#NATIVE_OBJECT}. */
    public static final String FAKE_NATIVE_OBJECT = "FAKE_NATIVE_OBJECT";
    /** The name of the threads {@link Leak#THREAD} leaves running. */
    public static final String LEAKED_THREAD = "dtls4j-leaked-thread";

    private LeakingProviders() {
    }

    /**
     * What each server session of a leaking provider leaves behind.
     *
     * @since 0.1
     */
    public enum Leak {
        /** A native object it counts live ({@link DtlsProvider#liveObjects()}) and never frees. */
        NATIVE_OBJECT,
        /** A thread that outlives the session by a minute. */
        THREAD,
        /** The session itself, held by the provider after it is closed. */
        SESSION;

        /**
         * {@code real} with this leak, under the name {@code <real>-leaks-<leak>}.
         *
         * @param real the working provider to wrap
         * @return a provider that behaves as {@code real} but leaks this per server session
         */
        public DtlsProvider apply(DtlsProvider real) {
            String name = real.name() + "-leaks-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
            AtomicLong fakes = new AtomicLong();
            List<DtlsSession> held = new CopyOnWriteArrayList<>();
            return new BrokenProvider(real, name, (listener, make) -> {
                DtlsSession session = make.apply(listener);
                if (session.role() == org.dtls4j.DtlsRole.SERVER) {
                    switch (this) {
                        case NATIVE_OBJECT -> fakes.incrementAndGet();
                        case THREAD -> {
                            Thread t = new Thread(() -> LockSupport.parkNanos(60_000_000_000L), LEAKED_THREAD);
                            t.setDaemon(true);
                            t.start();
                        }
                        default -> held.add(session);
                    }
                }
                return session;
            }, () -> {
                Map<String, Long> live = new HashMap<>(real.liveObjects());
                live.put(FAKE_NATIVE_OBJECT, fakes.get());
                return live;
            });
        }
    }
}
