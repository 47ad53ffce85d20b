package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.dtls4j.Capability;
import org.junit.jupiter.api.Test;

/**
 * Keying material exporters (RFC 5705), for providers that declare
 * {@link Capability#KEYING_MATERIAL_EXPORTER}.
 *
 * <p>If these fail, check that {@code exportKeyingMaterial} passes the label, the context
 * (and whether there is one at all) and the length through to the backend unchanged.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.KEYING_MATERIAL_EXPORTER)
public interface ExporterContract extends TckTarget {

    @Test
    @RuleId("EX-1")
    default void bothSidesExportTheSameKeyingMaterial(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(),
                Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            byte[] context = {1, 2, 3};
            byte[] c = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", 40));
            byte[] s = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", 40));
            assertEquals(40, c.length, "the requested length");
            assertArrayEquals(c, s, "both sides derive the same bytes");
            byte[] cc = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", context, 40));
            byte[] sc = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", context, 40));
            assertArrayEquals(cc, sc, "both sides derive the same bytes with a context");
            assertFalse(Arrays.equals(c, cc), "a context changes the output");
            byte[] empty = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", new byte[0], 40));
            assertFalse(Arrays.equals(c, empty), "an empty context differs from no context (RFC 5705)");
            byte[] other = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-other", 40));
            assertFalse(Arrays.equals(c, other), "another label gives other bytes");
        }
    }

    @Test
    @RuleId("EX-2")
    default void exportBeforeTheHandshakeIsRefused(TckRun run) {
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).build()) {
            assertThrows(IllegalStateException.class,
                    () -> pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", 16)),
                    "exporting before the handshake must throw IllegalStateException");
        }
    }
}
