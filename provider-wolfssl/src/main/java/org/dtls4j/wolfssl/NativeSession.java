package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;

/**
 * The native state one {@link WolfSslSession} owns: its {@code WOLFSSL} (the buffers it reads
 * and decrypts into are borrowed per call, {@link Scratch}). Its one owner is the session's {@code Cleanable},
 * which runs it exactly once: on close, on failure, or when an abandoned session is
 * collected.
 *
 * <p>Thread-safe as the Cleaner makes it: {@link #run()} is called once.
 */
final class NativeSession implements Runnable {

    final long id;
    final Pointer ssl;

    NativeSession(long id, Pointer ssl) {
        this.id = id;
        this.ssl = ssl;
    }

    @Override
    public void run() {
        Sessions.forget(id);
        LibWolfSsl.wolfSSL_free(ssl);
        NativeObjects.COUNTS.freed(NativeObjects.Type.WOLFSSL);
    }
}
