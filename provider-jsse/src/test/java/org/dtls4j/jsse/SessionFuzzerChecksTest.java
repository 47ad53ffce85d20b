package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dtls4j.tck.broken.LeakingProviders;
import org.dtls4j.tck.broken.LeakingProviders.Leak;
import org.dtls4j.tck.fuzz.SessionFuzzer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session fuzzer's growth checks can fail: JSSE wrapped so that each server session leaks one
 * thing ({@link LeakingProviders}) fails an input with a message that names what grew, and plain
 * JSSE passes the same inputs; and {@code anyState} fails when a target got no input. Here because
 * it needs a working provider (the tck cannot depend on one).
 */
class SessionFuzzerChecksTest {

    /** DTLS 1.2, the datagram as given: an empty one, which the server drops; then the real handshake. */
    private static final byte[] INPUT = {0, 0};

    @AfterEach
    void closeFuzzers() {
        try {
            SessionFuzzer.closeAll();
        } catch (AssertionError leakingFuzzerStillHoldsItsSessions) {
            // closeAll checks reachability once more: the SESSION leak fails it, as it should
        }
    }

    @Test
    void theRealProviderLeavesNothingBehind() {
        SessionFuzzer fuzzer = SessionFuzzer.of(new JsseProvider());
        for (int i = 0; i < 60; i++) {
            fuzzer.beforeHandshake(INPUT);
        }
        for (int i = 0; i < 4; i++) { // the 64th input runs the reachability check
            fuzzer.established(INPUT);
        }
        SessionFuzzer.closeAll();
    }

    @Test
    void anyStateFailsWhenATargetRanNoInputAndNamesIt() {
        SessionFuzzer fuzzer = SessionFuzzer.of(new JsseProvider());
        fuzzer.anyState(new byte[] {0, 0, 0}); // beforeHandshake only
        fuzzer.anyState(new byte[] {2, 0, 0}); // established only
        AssertionError e = assertThrows(AssertionError.class, SessionFuzzer::closeAll);
        assertThat(e).hasMessageContaining("anyState never ran midHandshake").hasMessageNotContaining("never ran established");
    }

    @Test
    void aNativeObjectLeftPerSessionFailsTheInputNamingIt() {
        SessionFuzzer fuzzer = SessionFuzzer.of(Leak.NATIVE_OBJECT.apply(new JsseProvider()));
        AssertionError e = assertThrows(AssertionError.class, () -> fuzzer.beforeHandshake(INPUT));
        assertThat(e).hasMessageContaining("resource growth").hasMessageContaining("live native objects")
                .hasMessageContaining(LeakingProviders.FAKE_NATIVE_OBJECT + "=1");
    }

    @Test
    void aThreadLeftPerSessionFailsTheInputNamingIt() {
        SessionFuzzer fuzzer = SessionFuzzer.of(Leak.THREAD.apply(new JsseProvider()));
        AssertionError e = assertThrows(AssertionError.class, () -> fuzzer.beforeHandshake(INPUT));
        assertThat(e).hasMessageContaining("resource growth").hasMessageContaining(LeakingProviders.LEAKED_THREAD);
    }

    @Test
    void aSessionStillReachableFailsAtTheNextReachabilityCheckNamingItsInput() {
        SessionFuzzer fuzzer = SessionFuzzer.of(Leak.SESSION.apply(new JsseProvider()));
        int[] ran = {0};
        AssertionError e = assertThrows(AssertionError.class, () -> {
            for (; ran[0] < 1000; ran[0]++) {
                fuzzer.beforeHandshake(INPUT);
            }
        });
        assertThat(e).hasMessageContaining("still reachable after a full GC").hasMessageContaining("SERVER session")
                .hasMessageContaining("input hex 0000");
        assertThat(ran[0]).as("inputs that passed before the periodic check found the leak").isLessThan(100);
    }
}
