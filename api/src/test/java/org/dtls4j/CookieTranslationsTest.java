package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
    void rememberingTheSameBackendCookieAgainReplacesItsEntry() {
        CookieTranslations t = new CookieTranslations(CookieTranslations.WAYS);
        t.remember(BACKEND, OWN);
        t.remember(BACKEND, new byte[] {5});
        for (int i = 0; i < CookieTranslations.WAYS - 1; i++) {
            t.remember(new byte[] {(byte) i}, new byte[] {(byte) i});
        }
        assertThat(t.ownCookieFor(BACKEND)).as("one entry, the newest, and room for the others").isEqualTo(new byte[] {5});
    }

    /**
     * The regression: with one entry per bucket, two clients whose cookies shared it pushed
     * each other out on every retry and neither could ever finish (seen with 50 concurrent
     * clients, about one run in eight). Exchanges that share a bucket now all stay.
     */
    @Test
    void exchangesThatShareABucketAllStay() {
        CookieTranslations t = new CookieTranslations(CookieTranslations.WAYS); // one bucket
        for (int i = 0; i < CookieTranslations.WAYS; i++) {
            t.remember(new byte[] {(byte) i}, new byte[] {(byte) (100 + i)});
        }
        for (int i = 0; i < CookieTranslations.WAYS; i++) {
            assertThat(t.ownCookieFor(new byte[] {(byte) i})).as("exchange %d", i).isEqualTo(new byte[] {(byte) (100 + i)});
        }
    }

    @Test
    void aFullBucketGivesUpItsOldestExchange() {
        CookieTranslations t = new CookieTranslations(CookieTranslations.WAYS);
        for (int i = 0; i <= CookieTranslations.WAYS; i++) {
            t.remember(new byte[] {(byte) i}, new byte[] {(byte) i});
        }
        assertThat(t.ownCookieFor(new byte[] {0})).as("the oldest is gone: the table stays bounded").isNull();
        assertThat(t.ownCookieFor(new byte[] {(byte) CookieTranslations.WAYS})).as("the newest is kept").isNotNull();
        assertThat(t.ownCookieFor(new byte[] {1})).as("the others too").isNotNull();
    }

    @Test
    void aThousandConcurrentExchangesAreAllKeptInTheDefaultTable() {
        Random random = new Random(7);
        CookieTranslations t = new CookieTranslations(CookieTranslations.DEFAULT_ENTRIES, 7);
        List<byte[]> cookies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] c = new byte[32];
            random.nextBytes(c);
            cookies.add(c);
            t.remember(c, new byte[] {(byte) i});
        }
        for (int i = 0; i < cookies.size(); i++) {
            assertThat(t.ownCookieFor(cookies.get(i))).as("exchange %d", i).isEqualTo(new byte[] {(byte) i});
        }
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
    void theEntryCountMustBeAPowerOfTwoOfAtLeastOneBucket() {
        assertThatThrownBy(() -> new CookieTranslations(12)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CookieTranslations(CookieTranslations.WAYS / 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
