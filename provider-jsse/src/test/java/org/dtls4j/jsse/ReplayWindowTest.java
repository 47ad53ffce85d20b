package org.dtls4j.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void anAcceptedRecordIsAReplayAndOthersAreNot() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.isReplay(1, 0)).isFalse();
        w.accept(1, 0);
        assertThat(w.isReplay(1, 0)).isTrue();
        assertThat(w.isReplay(1, 1)).isFalse();
        w.accept(1, 5);
        assertThat(w.isReplay(1, 5)).isTrue();
        assertThat(w.isReplay(1, 3)).as("not yet seen, within the window").isFalse();
        w.accept(1, 3);
        assertThat(w.isReplay(1, 3)).isTrue();
        assertThat(w.isReplay(1, 4)).isFalse();
    }

    @Test
    void recordsOlderThanTheWindowAreRefused() {
        ReplayWindow w = new ReplayWindow();
        w.accept(1, 1000);
        assertThat(w.isReplay(1, 1000 - 63)).as("the oldest the window still tells").isFalse();
        assertThat(w.isReplay(1, 1000 - 64)).as("too old to tell: refused").isTrue();
        w.accept(1, 1000 - 63);
        assertThat(w.isReplay(1, 1000 - 63)).isTrue();
    }

    @Test
    void theWindowSlidesAndForgetsWhatFallsOut() {
        ReplayWindow w = new ReplayWindow();
        for (long s = 0; s < 200; s += 2) {
            w.accept(1, s);
        }
        assertThat(w.isReplay(1, 198)).isTrue();
        assertThat(w.isReplay(1, 197)).isFalse();
        assertThat(w.isReplay(1, 136)).isTrue();
        assertThat(w.isReplay(1, 135)).as("63 behind: still in the window, never seen").isFalse();
        assertThat(w.isReplay(1, 134)).as("64 behind: out of the window").isTrue();
        w.accept(1, 10_000);
        assertThat(w.isReplay(1, 9_999)).as("a big jump clears the bitmap").isFalse();
        assertThat(w.isReplay(1, 198)).isTrue();
    }

    @Test
    void aNewEpochStartsAFreshWindow() {
        ReplayWindow w = new ReplayWindow();
        w.accept(1, 50);
        assertThat(w.isReplay(2, 50)).isFalse();
        assertThat(w.isReplay(2, 0)).isFalse();
        w.accept(2, 0);
        assertThat(w.isReplay(2, 0)).isTrue();
        assertThat(w.isReplay(1, 50)).as("old epochs are JSSE's to discard").isFalse();
        w.accept(1, 60);
        assertThat(w.isReplay(2, 1)).isFalse();
        assertThat(w.isReplay(2, 0)).isTrue();
    }
}
