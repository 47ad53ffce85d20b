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

    /**
     * The provider works.
     *
     * @return the one shared instance that says the provider can be used
     */
    public static Availability available() {
        return AVAILABLE;
    }

    /**
     * The provider cannot work here; {@code reason} tells a user what to fix.
     *
     * @param reason what is missing and how to fix it, in words a user can act on (for example
     *     which library to install); {@code dtls4j providers} prints it
     * @return an availability that is not available and carries {@code reason}
     */
    public static Availability unavailable(String reason) {
        return new Availability(Objects.requireNonNull(reason, "reason"), null);
    }

    /**
     * The provider cannot work here because of {@code cause}.
     *
     * @param reason what is missing and how to fix it, in words a user can act on
     * @param cause the failure the provider met when it tried its backend (a missing native
     *     library, say), kept for the stack trace
     * @return an availability that is not available and carries {@code reason} and {@code cause}
     */
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
        /**
         * Runs the check; any exception or linkage error means the backend is unavailable.
         *
         * @throws Exception any failure of the check: the probe reports it as the cause of
         *     unavailability
         */
        void run() throws Exception;
    }

    /**
     * Runs a provider's availability probe: available if {@code check} returns, unavailable
     * with the throwable as the cause if it throws an exception or a {@link LinkageError}
     * (a missing or broken jar or native library), the reason made by {@code whyNot}. Call
     * it once and keep the result (a {@code static final} field of a holder class is the
     * lazy, thread-safe way): probing can be slow and is expected to be cheap afterwards.
     *
     * @param check the probe: it returns when the backend works and throws when it does not
     * @param whyNot makes the user-facing reason from what {@code check} threw; it should name the
     *     fix
     * @return {@link #available()} if {@code check} returned, else an unavailable result with the
     *     reason from {@code whyNot} and the throwable as its cause
     */
    public static Availability probe(Check check, java.util.function.Function<Throwable, String> whyNot) {
        try {
            check.run();
            return AVAILABLE;
        } catch (Exception | LinkageError e) {
            return unavailable(whyNot.apply(e), e);
        }
    }

    /** {@return whether the provider can be used here; when not, {@link #reason()} says why} */
    public boolean isAvailable() {
        return reason == null;
    }

    /** {@return why the provider is unavailable; empty when it is available} */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** {@return the failure behind {@link #reason()}, if there was one} */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return reason == null ? "available" : "unavailable: " + reason;
    }
}
