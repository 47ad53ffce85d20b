package org.dtls4j.wolfssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The native state one {@link WolfSslSession} owns: its {@code WOLFSSL} and the two buffers
 * wolfSSL reads from and decrypts into. Its one owner is the session's {@code Cleanable},
 * which runs it exactly once: on close, on failure, or when an abandoned session is
 * collected.
 *
 * <p>Thread-safe as the Cleaner makes it: {@link #run()} is called once.
 */
final class NativeSession implements Runnable {

    final long id;
    final Pointer ssl;
    final Memory in = new Memory(WolfSslSession.BUFFER);
    final Memory plain = new Memory(WolfSslSession.BUFFER);

    NativeSession(long id, Pointer ssl) {
        this.id = id;
        this.ssl = ssl;
    }

    @Override
    public void run() {
        Sessions.forget(id);
        LibWolfSsl.wolfSSL_free(ssl);
        NativeObjects.COUNTS.freed(NativeObjects.Type.WOLFSSL);
        in.close();
        plain.close();
    }
}
