package org.dtls4j.wolfssl;

import org.dtls4j.spi.LiveCounts;

/**
 * The native objects this provider owns, counted live ({@link LiveCounts}): every
 * {@code *_new} is matched by exactly one free, and the leak tests check the counts return
 * to zero.
 *
 * <p>Thread-safe.
 */
final class NativeObjects {

    enum Type { WOLFSSL_CTX, WOLFSSL, WOLFSSL_SESSION }

    static final LiveCounts<Type> COUNTS = new LiveCounts<>(Type.class);

    private NativeObjects() {
    }
}
