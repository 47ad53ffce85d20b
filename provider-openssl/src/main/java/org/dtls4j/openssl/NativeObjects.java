package org.dtls4j.openssl;

import org.dtls4j.spi.LiveCounts;

/**
 * The native objects this provider owns, counted live ({@link LiveCounts}): every
 * {@code *_new} is matched by exactly one free, and the leak tests check the counts return
 * to zero.
 *
 * <p>Thread-safe.
 */
final class NativeObjects {

    enum Type { SSL_CTX, SSL, BIO, BIO_ADDR, X509, EVP_PKEY, SSL_SESSION }

    static final LiveCounts<Type> COUNTS = new LiveCounts<>(Type.class);

    private NativeObjects() {
    }
}
