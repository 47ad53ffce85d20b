package org.dtls4j.tck.net;

/**
 * One end of an {@link InMemoryLink}.
 *
 * @since 0.1
 */
public enum Side {
    CLIENT, SERVER;

    /** The other end. */
    public Side peer() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
