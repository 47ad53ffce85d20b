package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.dtls4j.TransportStats.DropReason;
import org.dtls4j.spi.ClientHellos.Verdict;
import org.junit.jupiter.api.Test;

class DropReasonMappingTest {

    @Test
    void everyVerdictThatDropsMapsToItsOwnReason() {
        Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        for (Verdict v : Verdict.values()) {
            if (v == Verdict.CLIENT_HELLO) {
                continue;
            }
            DropReason r = FrontDoor.dropReason(v);
            assertThat(r).as("the reason for %s", v).isNotNull();
            assertThat(seen.add(r)).as("%s maps to %s, which another verdict already has", v, r).isTrue();
        }
        assertThat(seen).hasSize(Verdict.values().length - 1);
    }

    @Test
    void aClientHelloIsNoDrop() {
        assertThatThrownBy(() -> FrontDoor.dropReason(Verdict.CLIENT_HELLO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
