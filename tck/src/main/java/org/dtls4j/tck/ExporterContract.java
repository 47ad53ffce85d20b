package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.dtls4j.Capability;
import org.dtls4j.spi.SessionPreconditions;
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
    /** A length of zero or less is an argument error on every provider, not an empty result. */
    @Test
    @RuleId("EX-3")
    default void exportOfZeroOrNegativeLengthIsRefused(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(),
                Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            for (int length : new int[] {0, -1}) {
                assertThrows(IllegalArgumentException.class,
                        () -> pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", length)),
                        "exporting " + length + " bytes must throw IllegalArgumentException (SessionPreconditions.requireExportable)");
            }
        }
    }

    /** An export longer than {@code SessionPreconditions.MAX_EXPORT_LENGTH} is refused, that long is given. */
    @Test
    @RuleId("EX-4")
    default void exportLongerThanTheLimitIsRefused(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(),
                Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            int max = SessionPreconditions.MAX_EXPORT_LENGTH;
            assertEquals(max, pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", max)).length,
                    "the longest export allowed");
            assertThrows(IllegalArgumentException.class,
                    () -> pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", max + 1)),
                    "exporting " + (max + 1) + " bytes must throw IllegalArgumentException");
        }
    }

    /** The label is a non-empty ASCII string (RFC 5705 section 4). */
    @Test
    @RuleId("EX-5")
    default void exportWithAnEmptyOrNonAsciiLabelIsRefused(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(),
                Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            for (String label : new String[] {"", "EXPERIMENTAL-\u00e9"}) {
                assertThrows(IllegalArgumentException.class,
                        () -> pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial(label, 16)),
                        "the label '" + label + "' must throw IllegalArgumentException");
            }
        }
    }

    /** A context travels with a 16-bit length (RFC 5705 section 4): 65535 bytes at most. */
    @Test
    @RuleId("EX-6")
    default void exportWithAContextOver65535BytesIsRefused(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            // OpenSSL 3.0's PRF takes at most 1 KB of seed (label, randoms and context), so the
            // accepted case stays well under it.
            byte[] c = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j",
                    new byte[256], 16));
            byte[] s = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j",
                    new byte[256], 16));
            assertArrayEquals(c, s, "a context of 256 bytes is allowed and agreed");
            assertThrows(IllegalArgumentException.class,
                    () -> pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j",
                            new byte[0x10000], 16)),
                    "a context of 65536 bytes must throw IllegalArgumentException");
        }
    }
}
