package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.dtls4j.spi.BackendCookies;
import org.junit.jupiter.api.Test;

class ListenerCookiesTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 40000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.11", 40000);
    private static final ByteBuffer PARAMS = ByteBuffer.wrap(new byte[] {(byte) 0xfe, (byte) 0xfd, 1, 2, 3});
    private static final ByteBuffer HELLO = ByteBuffer.wrap(new byte[] {22, (byte) 0xfe, (byte) 0xfd});
    private static final byte[] BACKEND_COOKIE = {42, 42, 42, 42};

    private final CookieAuthority authority = CookieAuthority.hmacSha256();

    @Test
    void withoutBackendCookiesTheAuthorityMintsAndChecksTheCookie() {
        ListenerCookies cookies = new ListenerCookies(authority, null, 16);
        byte[] cookie = cookies.issue(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), HELLO.duplicate());
        assertThat(cookies.fromBackend()).isFalse();
        assertThat(authority.verify(CLIENT, PARAMS.duplicate(), cookie)).as("the authority's own cookie").isTrue();
        assertThat(cookies.accepts(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), cookie)).isTrue();
        assertThat(cookies.accepts(ProtocolVersion.DTLS_1_2, OTHER, PARAMS.duplicate(), cookie))
                .as("a cookie is bound to the client it was sent to").isFalse();
    }

    @Test
    void aBackendCookieIsSentAndAcceptedOnlyFromItsClient() {
        BackendCookies backend = hello -> Optional.of(BACKEND_COOKIE.clone());
        ListenerCookies cookies = new ListenerCookies(authority, backend, 16);
        byte[] cookie = cookies.issue(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), HELLO.duplicate());
        assertThat(cookies.fromBackend()).isTrue();
        assertThat(cookie).as("the backend's cookie goes on the wire").isEqualTo(BACKEND_COOKIE);
        assertThat(cookies.accepts(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), cookie)).isTrue();
        assertThat(cookies.accepts(ProtocolVersion.DTLS_1_2, OTHER, PARAMS.duplicate(), cookie)).isFalse();
        assertThat(cookies.accepts(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), new byte[] {1, 2, 3, 4}))
                .as("a backend cookie the listener never sent").isFalse();
    }

    @Test
    void aBackendThatCannotMakeACookieLeavesTheAuthoritysOwn() {
        ListenerCookies cookies = new ListenerCookies(authority, hello -> Optional.empty(), 16);
        byte[] cookie = cookies.issue(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), HELLO.duplicate());
        assertThat(authority.verify(CLIENT, PARAMS.duplicate(), cookie)).isTrue();
        assertThat(cookies.accepts(ProtocolVersion.DTLS_1_2, CLIENT, PARAMS.duplicate(), cookie)).isTrue();
    }

    @Test
    void aContextIsAskedForBackendCookiesByItsType() {
        DtlsConfig config = DtlsConfig.builder().build();
        assertThat(ListenerCookies.of(new TestProviders.StubContext("stub", config)).fromBackend()).isFalse();
        assertThat(ListenerCookies.of(cookieMakingContext(config)).fromBackend()).isTrue();
    }

    @Test
    void dtls13CookiesAreRefusedUntilABackendMakesThem() {
        ListenerCookies cookies = new ListenerCookies(authority, null, 16);
        assertThatThrownBy(() -> cookies.issue(ProtocolVersion.DTLS_1_3, CLIENT, PARAMS.duplicate(), HELLO.duplicate()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("HelloRetryRequest");
    }

    @Test
    void theServersPeerCallbacksAreNotPartOfItsApi() {
        assertThat(Arrays.stream(DtlsServer.class.getMethods())
                .filter(m -> m.getDeclaringClass() == DtlsServer.class)
                .map(Method::getName))
                .doesNotContain("established", "ended");
        assertThat(Arrays.stream(DtlsServer.class.getInterfaces()).filter(i -> !Modifier.isPublic(i.getModifiers())))
                .as("DtlsServer implements no package-private interface").isEmpty();
    }

    /** A context whose backend insists on its own cookies; only {@code config()} and {@code cookieFor} answer. */
    private static DtlsContext cookieMakingContext(DtlsConfig config) {
        return (DtlsContext) Proxy.newProxyInstance(ListenerCookiesTest.class.getClassLoader(),
                new Class<?>[] {DtlsContext.class, BackendCookies.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "config" -> config;
                    case "cookieFor" -> Optional.of(BACKEND_COOKIE.clone());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
