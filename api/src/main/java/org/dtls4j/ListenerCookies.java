package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.dtls4j.spi.BackendCookies;

/**
 * The one place where the listener decides which cookie a client gets and which it accepts:
 * its own {@link CookieAuthority}'s, or, where the context's backend accepts no cookie but its
 * own ({@link BackendCookies}), the backend's, bound to the authority's cookie for the same
 * client and ClientHello by {@link CookieTranslations}.
 *
 * <p>The version is the one the ClientHello's cookie exchange runs under. Only the
 * HelloVerifyRequest exchange of DTLS 1.0 and 1.2 exists today; a DTLS 1.3 HelloRetryRequest
 * cookie can only come from the backend (RFC 9147 section 5.1), and is refused here until a
 * backend speaks 1.3.
 *
 * <p>Thread-safe.
 */
final class ListenerCookies {

    private final CookieAuthority authority;
    /** The backend's own cookies, or null where it takes the listener's. */
    private final BackendCookies backend;
    /** Our cookie under each recent backend cookie; null without backend cookies. */
    private final CookieTranslations translations;

    ListenerCookies(CookieAuthority authority, BackendCookies backend, int translationEntries) {
        this.authority = authority;
        this.backend = backend;
        this.translations = backend == null ? null : new CookieTranslations(translationEntries);
    }

    /** The cookies for a server of {@code context}: the backend's where the context has its own. */
    static ListenerCookies of(DtlsContext context) {
        return new ListenerCookies(context.config().cookieAuthority(),
                context instanceof BackendCookies b ? b : null, CookieTranslations.DEFAULT_ENTRIES);
    }

    /** Whether the backend mints the cookies sent to clients (the listener still decides who gets a session). */
    boolean fromBackend() {
        return backend != null;
    }

    /**
     * The cookie to send to {@code from} in answer to {@code hello}: the backend's, where it
     * insists and can make one, else the authority's.
     *
     * @param params the ClientHello fields the cookie binds ({@link org.dtls4j.spi.ClientHellos#parameters()})
     * @param hello the datagram holding the ClientHello, not consumed
     */
    byte[] issue(ProtocolVersion version, InetSocketAddress from, ByteBuffer params, ByteBuffer hello) {
        requireHelloVerifyRequest(version);
        byte[] own = authority.generate(from, params);
        if (backend == null) {
            return own;
        }
        byte[] theirs = backend.cookieFor(hello).orElse(null);
        if (theirs == null) {
            return own; // the backend then runs a second exchange of its own
        }
        translations.remember(theirs, own);
        return theirs;
    }

    /** Whether {@code cookie} is ours for this client, directly or under a backend cookie we sent it. */
    boolean accepts(ProtocolVersion version, InetSocketAddress from, ByteBuffer params, byte[] cookie) {
        requireHelloVerifyRequest(version);
        byte[] own = translations == null ? null : translations.ownCookieFor(cookie);
        return authority.verify(from, params, own != null ? own : cookie);
    }

    private static void requireHelloVerifyRequest(ProtocolVersion version) {
        if (version == ProtocolVersion.DTLS_1_3) {
            throw new UnsupportedOperationException("DTLS 1.3 cookies travel in a HelloRetryRequest, which only"
                    + " the backend can make; no backend here speaks DTLS 1.3");
        }
    }
}
