package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.HelloRetryCookies;
import org.dtls4j.spi.HelloRetryCookies.ReturnedCookie;
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
        ListenerCookies cookies = new ListenerCookies(authority, null, null, 16);
        byte[] cookie = cookies.issue(CLIENT, PARAMS.duplicate(), HELLO.duplicate());
        assertThat(authority.verify(CLIENT, PARAMS.duplicate(), cookie)).as("the authority's own cookie").isTrue();
        assertThat(cookies.accepts(CLIENT, PARAMS.duplicate(), cookie)).isTrue();
        assertThat(cookies.accepts(OTHER, PARAMS.duplicate(), cookie))
                .as("a cookie is bound to the client it was sent to").isFalse();
    }

    @Test
    void aBackendCookieIsSentAndAcceptedOnlyFromItsClient() {
        BackendCookies backend = hello -> Optional.of(BACKEND_COOKIE.clone());
        ListenerCookies cookies = new ListenerCookies(authority, backend, null, 16);
        byte[] cookie = cookies.issue(CLIENT, PARAMS.duplicate(), HELLO.duplicate());
        assertThat(cookie).as("the backend's cookie goes on the wire").isEqualTo(BACKEND_COOKIE);
        assertThat(cookies.accepts(CLIENT, PARAMS.duplicate(), cookie)).isTrue();
        assertThat(cookies.accepts(OTHER, PARAMS.duplicate(), cookie)).isFalse();
        assertThat(cookies.accepts(CLIENT, PARAMS.duplicate(), new byte[] {1, 2, 3, 4}))
                .as("a backend cookie the listener never sent").isFalse();
    }

    @Test
    void aBackendThatCannotMakeACookieLeavesTheAuthoritysOwn() {
        ListenerCookies cookies = new ListenerCookies(authority, hello -> Optional.empty(), null, 16);
        byte[] cookie = cookies.issue(CLIENT, PARAMS.duplicate(), HELLO.duplicate());
        assertThat(authority.verify(CLIENT, PARAMS.duplicate(), cookie)).isTrue();
        assertThat(cookies.accepts(CLIENT, PARAMS.duplicate(), cookie)).isTrue();
    }

    @Test
    void aContextIsAskedForHelloRetryCookiesByItsType() {
        DtlsConfig config = DtlsConfig.builder().build();
        assertThat(ListenerCookies.of(new TestProviders.StubContext("stub", config)).retries()).isFalse();
        assertThat(ListenerCookies.of(retryingContext(config)).retries()).isTrue();
    }

    @Test
    void withoutHelloRetryCookiesThereIsNoDtls13Exchange() {
        ListenerCookies cookies = new ListenerCookies(authority, null, null, 16);
        assertThat(cookies.retries()).isFalse();
        assertThat(cookies.helloRetryRequest(CLIENT, HELLO.duplicate())).isEmpty();
        assertThat(cookies.returnedCookie(CLIENT, HELLO.duplicate())).isEqualTo(ReturnedCookie.ABSENT);
    }

    @Test
    void theDtls13ExchangeIsTheBackendsForTheClientsAddress() {
        List<InetSocketAddress> asked = new ArrayList<>();
        HelloRetryCookies backend = new HelloRetryCookies() {
            @Override
            public List<ByteBuffer> helloRetryRequest(ByteBuffer clientHello, InetSocketAddress client) {
                asked.add(client);
                return List.of(ByteBuffer.wrap(new byte[] {22}));
            }

            @Override
            public ReturnedCookie returnedCookie(ByteBuffer clientHello, InetSocketAddress client) {
                return client.equals(CLIENT) ? ReturnedCookie.VALID : ReturnedCookie.INVALID;
            }
        };
        ListenerCookies cookies = new ListenerCookies(authority, null, backend, 16);
        assertThat(cookies.helloRetryRequest(CLIENT, HELLO.duplicate())).hasSize(1);
        assertThat(asked).containsExactly(CLIENT);
        assertThat(cookies.returnedCookie(CLIENT, HELLO.duplicate())).isEqualTo(ReturnedCookie.VALID);
        assertThat(cookies.returnedCookie(OTHER, HELLO.duplicate())).isEqualTo(ReturnedCookie.INVALID);
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

    /** A context whose backend makes HelloRetryRequest cookies; only {@code config()} answers. */
    private static DtlsContext retryingContext(DtlsConfig config) {
        return (DtlsContext) Proxy.newProxyInstance(ListenerCookiesTest.class.getClassLoader(),
                new Class<?>[] {DtlsContext.class, HelloRetryCookies.class}, (proxy, method, args) -> {
                    if (method.getName().equals("config")) {
                        return config;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
