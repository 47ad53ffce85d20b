package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CookieTranslationsTest {

    private static final byte[] BACKEND = {1, 2, 3, 4};
    private static final byte[] OWN = {9, 8, 7};

    @Test
    void aRememberedBackendCookieGivesBackOurOwn() {
        CookieTranslations t = new CookieTranslations(16);
        t.remember(BACKEND, OWN);
        assertThat(t.ownCookieFor(BACKEND.clone())).isEqualTo(OWN);
    }

    @Test
    void aCookieNeverSentIsUnknown() {
        CookieTranslations t = new CookieTranslations(16);
        t.remember(BACKEND, OWN);
        assertThat(t.ownCookieFor(new byte[] {1, 2, 3, 5})).isNull();
        assertThat(t.ownCookieFor(new byte[0])).isNull();
    }

    @Test
    void aNewerExchangeInTheSameSlotReplacesTheOlderOne() {
        CookieTranslations t = new CookieTranslations(1);
        byte[] newer = {5, 6};
        t.remember(BACKEND, OWN);
        t.remember(newer, new byte[] {1});
        assertThat(t.ownCookieFor(BACKEND)).as("bounded: the older exchange is gone").isNull();
        assertThat(t.ownCookieFor(newer)).isEqualTo(new byte[] {1});
    }

    @Test
    void whatIsKeptCannotBeChangedFromOutside() {
        CookieTranslations t = new CookieTranslations(16);
        byte[] backend = BACKEND.clone();
        byte[] own = OWN.clone();
        t.remember(backend, own);
        own[0] = 0;
        backend[0] = 0;
        byte[] out = t.ownCookieFor(BACKEND);
        assertThat(out).isEqualTo(OWN);
        out[0] = 0;
        assertThat(t.ownCookieFor(BACKEND)).isEqualTo(OWN);
    }

    @Test
    void theSlotCountMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new CookieTranslations(12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CookieTranslations(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
