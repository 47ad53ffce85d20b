package org.dtls4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveCountsTest {

    private enum Kind { CTX, SSL }

    @Test
    void eachKindCountsItsCreationsLessItsFrees() {
        LiveCounts<Kind> counts = new LiveCounts<>(Kind.class);
        counts.created(Kind.SSL);
        counts.created(Kind.SSL);
        counts.created(Kind.CTX);
        counts.freed(Kind.SSL);
        assertEquals(1, counts.live(Kind.SSL), "two created, one freed");
        assertEquals(Map.of(Kind.CTX, 1L, Kind.SSL, 1L), counts.snapshot(), "every kind, in the snapshot");
        counts.freed(Kind.SSL);
        counts.freed(Kind.CTX);
        assertEquals(Map.of(Kind.CTX, 0L, Kind.SSL, 0L), counts.snapshot(), "all freed: back to zero");
    }

    @Test
    void byNameGivesEveryKindsCountUnderItsName() {
        LiveCounts<Kind> counts = new LiveCounts<>(Kind.class);
        counts.created(Kind.SSL);
        assertEquals(Map.of("CTX", 0L, "SSL", 1L), counts.byName(), "what a provider's liveObjects() returns");
    }
}
