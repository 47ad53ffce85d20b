package org.dtls4j.tck.net;

/**
 * One end of an {@link InMemoryLink}.
 *
 * @since 0.1
 */
public enum Side {
    /** The end whose session plays the client. */
    CLIENT,
    /** The end whose session plays the server. */
    SERVER;

    /** {@return the other end} */
    public Side peer() {
        return this == CLIENT ? SERVER : CLIENT;
    }
}
