package org.dtls4j;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits, timeouts and threads of the datagram transport ({@link DtlsServer}; a
 * {@link DtlsClient} connection uses {@link #defaults()}), which the protocol configuration
 * ({@link DtlsConfig}) does not cover because no provider reads them. Immutable and
 * thread-safe.
 *
 * <p>ICMP-driven errors (port unreachable) are always counted and ignored: they are
 * unauthenticated and easily spoofed, so they never end a session.
 *
 * @since 0.1
 */
public final class TransportOptions {

    private final int maxSessions;
    private final int maxHandshakes;
    private final int ioThreads;
    private final int receiveQueueCapacity;
    private final Duration idleTimeout;

    private TransportOptions(Builder b) {
        this.maxSessions = b.maxSessions;
        this.maxHandshakes = b.maxHandshakes;
        this.ioThreads = b.ioThreads;
        this.receiveQueueCapacity = b.receiveQueueCapacity;
        this.idleTimeout = b.idleTimeout;
    }

    /**
     * {@return the defaults: 10,000 sessions, 1,000 concurrent handshakes, one I/O thread, 1,024
     * queued records per connection, a 5-minute idle timeout}
     */
    public static TransportOptions defaults() {
        return builder().build();
    }

    /** {@return a builder that starts from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the most peers with a session at once; ClientHellos beyond it are dropped and counted}
     */
    public int maxSessions() {
        return maxSessions;
    }

    /**
     * {@return the most handshakes in progress at once; ClientHellos beyond it are dropped and counted}
     */
    public int maxHandshakes() {
        return maxHandshakes;
    }

    /**
     * How many I/O threads read the server's port and drive its sessions: each reads a socket
     * of its own, all bound to the same address with {@code SO_REUSEPORT}, where the platform
     * has it (Linux); elsewhere one thread reads one socket and the others only drive sessions
     * ({@link DtlsServer}).
     *
     * @return the number of I/O threads, at least 1
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * {@return how many received records a connection holds before it drops new ones (and counts them)}
     */
    public int receiveQueueCapacity() {
        return receiveQueueCapacity;
    }

    /**
     * {@return how long an established connection may stay silent before it is closed (and its session freed)}
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Builds {@link TransportOptions}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private int maxSessions = 10_000;
        private int maxHandshakes = 1_000;
        private int ioThreads = 1;
        private int receiveQueueCapacity = 1_024;
        private Duration idleTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        /**
         * The most peers with a session at once (default 10,000); ClientHellos beyond it are
         * dropped and counted.
         *
         * @param n the limit, positive
         * @return this builder
         */
        public Builder maxSessions(int n) {
            this.maxSessions = n;
            return this;
        }

        /**
         * The most handshakes in progress at once (default 1,000), at most {@link
         * #maxSessions(int)}; ClientHellos beyond it are dropped and counted.
         *
         * @param n the limit, positive
         * @return this builder
         */
        public Builder maxHandshakes(int n) {
            this.maxHandshakes = n;
            return this;
        }

        /**
         * How many I/O threads the server runs (default 1); see {@link TransportOptions#ioThreads()}.
         * More than the machine has cores gains nothing.
         *
         * @param n the number of I/O threads, at least 1
         * @return this builder
         */
        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        /**
         * How many received records a connection holds before it drops new ones (default 1,024).
         *
         * @param n the capacity, positive
         * @return this builder
         */
        public Builder receiveQueueCapacity(int n) {
            this.receiveQueueCapacity = n;
            return this;
        }

        /**
         * How long an established connection may stay silent before it is closed (default 5 minutes).
         *
         * @param timeout the idle time, positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Checks the options and makes them.
         *
         * @return the options
         * @throws DtlsConfigurationException if a limit or the idle timeout is not positive, or
         *         there may be more handshakes than sessions
         */
        public TransportOptions build() {
            if (maxSessions < 1 || maxHandshakes < 1 || ioThreads < 1 || receiveQueueCapacity < 1) {
                throw new DtlsConfigurationException("maxSessions, maxHandshakes, ioThreads and receiveQueueCapacity"
                        + " must all be at least 1");
            }
            if (maxHandshakes > maxSessions) {
                throw new DtlsConfigurationException("maxHandshakes (" + maxHandshakes + ") exceeds maxSessions ("
                        + maxSessions + "); every handshake needs a session slot, so lower maxHandshakes");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new DtlsConfigurationException("idle timeout must be positive, was " + idleTimeout);
            }
            return new TransportOptions(this);
        }
    }

    @Override
    public String toString() {
        return "TransportOptions[maxSessions=" + maxSessions + ", maxHandshakes=" + maxHandshakes
                + ", ioThreads=" + ioThreads + ", receiveQueueCapacity=" + receiveQueueCapacity + ", idleTimeout=" + idleTimeout + "]";
    }
}
