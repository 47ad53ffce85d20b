package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.HelloRetryCookies;
import org.dtls4j.spi.HelloRetryCookies.ReturnedCookie;

/**
 * The one place where the listener decides which cookie a client gets and which it accepts:
 * its own {@link CookieAuthority}'s, or, where the context's backend accepts no cookie but its
 * own ({@link BackendCookies}), the backend's, bound to the authority's cookie for the same
 * client and ClientHello by {@link CookieTranslations}.
 *
 * <p>DTLS 1.0 and 1.2 exchange cookies in a HelloVerifyRequest ({@link #issue}, {@link #accepts});
 * DTLS 1.3 in a HelloRetryRequest that only the backend can make (RFC 9147 section 5.1):
 * {@link #helloRetryRequest} and {@link #returnedCookie}, through the context's
 * {@link HelloRetryCookies}, which binds its cookies to the client's address and bounds their
 * age itself.
 *
 * <p>Thread-safe.
 */
final class ListenerCookies {

    private final CookieAuthority authority;
    /** The backend's own cookies, or null where it takes the listener's. */
    private final BackendCookies backend;
    /** Our cookie under each recent backend cookie; null without backend cookies. */
    private final CookieTranslations translations;
    /** The backend's DTLS 1.3 HelloRetryRequest cookies, or null where it makes none. */
    private final HelloRetryCookies retry;

    ListenerCookies(CookieAuthority authority, BackendCookies backend, HelloRetryCookies retry,
            int translationEntries) {
        this.authority = authority;
        this.backend = backend;
        this.retry = retry;
        this.translations = backend == null ? null : new CookieTranslations(translationEntries);
    }

    /** The cookies for a server of {@code context}: the backend's where the context has its own. */
    static ListenerCookies of(DtlsContext context) {
        return new ListenerCookies(context.config().cookieAuthority(),
                context instanceof BackendCookies b ? b : null, context instanceof HelloRetryCookies r ? r : null,
                CookieTranslations.DEFAULT_ENTRIES);
    }

    /** Whether the backend makes DTLS 1.3 HelloRetryRequest cookies; without, 1.3 ClientHellos are dropped. */
    boolean retries() {
        return retry != null;
    }

    /**
     * The cookie to send to {@code from} in answer to {@code hello}: the backend's, where it
     * insists and can make one, else the authority's.
     *
     * @param params the ClientHello fields the cookie binds ({@link org.dtls4j.spi.ClientHellos#parameters()})
     * @param hello the datagram holding the ClientHello, not consumed
     */
    byte[] issue(InetSocketAddress from, ByteBuffer params, ByteBuffer hello) {
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
    boolean accepts(InetSocketAddress from, ByteBuffer params, byte[] cookie) {
        byte[] own = translations == null ? null : translations.ownCookieFor(cookie);
        return authority.verify(from, params, own != null ? own : cookie);
    }

    /**
     * The backend's HelloRetryRequest for a cookie-less DTLS 1.3 ClientHello from {@code from};
     * empty without {@link #retries()} or if the backend cannot answer.
     */
    List<ByteBuffer> helloRetryRequest(InetSocketAddress from, ByteBuffer hello) {
        return retry == null ? List.of() : retry.helloRetryRequest(hello, from);
    }

    /** What a DTLS 1.3 ClientHello from {@code from} returned as its cookie; ABSENT without {@link #retries()}. */
    ReturnedCookie returnedCookie(InetSocketAddress from, ByteBuffer hello) {
        return retry == null ? ReturnedCookie.ABSENT : retry.returnedCookie(hello, from);
    }
}
