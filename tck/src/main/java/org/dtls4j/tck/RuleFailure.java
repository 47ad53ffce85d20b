package org.dtls4j.tck;

/**
 * A TCK test that failed with something other than an assertion (an exception from the
 * provider, say), tagged with the test's rule id and run; the original is the cause.
 *
 * <p>It is deliberately not an {@link AssertionError}: a report can still tell a contract the
 * provider broke (an assertion failed) from a test that crashed. Immutable once thrown, as
 * every exception; thread-safe to read.
 *
 * @since 0.1
 */
public final class RuleFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RuleFailure(String prefix, Throwable cause) {
        super(prefix + " " + cause, cause);
        setStackTrace(cause.getStackTrace());
    }
}
