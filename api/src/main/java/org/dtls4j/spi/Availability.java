package org.dtls4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a provider can be used on this machine, and if not, why (for example
 * "libssl.so.3 not found"). Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Availability {

    private static final Availability AVAILABLE = new Availability(null, null);

    private final String reason;
    private final Throwable cause;

    private Availability(String reason, Throwable cause) {
        this.reason = reason;
        this.cause = cause;
    }

    /** The provider works. */
    public static Availability available() {
        return AVAILABLE;
    }

    /** The provider cannot work here; {@code reason} tells a user what to fix. */
    public static Availability unavailable(String reason) {
        return new Availability(Objects.requireNonNull(reason, "reason"), null);
    }

    /** The provider cannot work here because of {@code cause}. */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(cause, "cause"));
    }

    /**
     * A check that throws when the backend cannot work here.
     *
     * <p>Implementations need not be thread-safe: {@link #probe} runs a check once, on the
     * calling thread, and its caller keeps the outcome. A check that touches shared state
     * (a native library, say) must guard it itself if it may run on several threads.
     */
    @FunctionalInterface
    public interface Check {
        /** Runs the check; any exception or linkage error means the backend is unavailable. */
        void run() throws Exception;
    }

    /**
     * Runs a provider's availability probe: available if {@code check} returns, unavailable
     * with the throwable as the cause if it throws an exception or a {@link LinkageError}
     * (a missing or broken jar or native library), the reason made by {@code whyNot}. Call
     * it once and keep the result (a {@code static final} field of a holder class is the
     * lazy, thread-safe way): probing can be slow and is expected to be cheap afterwards.
     */
    public static Availability probe(Check check, java.util.function.Function<Throwable, String> whyNot) {
        try {
            check.run();
            return AVAILABLE;
        } catch (Exception | LinkageError e) {
            return unavailable(whyNot.apply(e), e);
        }
    }

    public boolean isAvailable() {
        return reason == null;
    }

    /** Why the provider is unavailable; empty when it is available. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The failure behind {@link #reason()}, if there was one. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return reason == null ? "available" : "unavailable: " + reason;
    }
}
