package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.dtls4j.Capability;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.ProtocolVersion;
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

    /**
     * Checks rule EX-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
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
            if (run.version() == ProtocolVersion.DTLS_1_3) {
                assertArrayEquals(c, empty, "in DTLS 1.3 an empty context is the same as no context (RFC 8446 section 7.5)");
            } else {
                assertFalse(Arrays.equals(c, empty), "an empty context differs from no context (RFC 5705)");
            }
            byte[] other = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-other", 40));
            assertFalse(Arrays.equals(c, other), "another label gives other bytes");
        }
    }

    /**
     * Checks rule EX-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
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
    /**
     * A length of zero or less is an argument error on every provider, not an empty result.
     *
     * @param run the run: its providers, protocol version and seed
     */
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

    /**
     * An export longer than {@code SessionPreconditions.MAX_EXPORT_LENGTH} is refused, that long is given.
     *
     * @param run the run: its providers, protocol version and seed
     */
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

    /**
     * The label is a non-empty ASCII string (RFC 5705 section 4).
     *
     * @param run the run: its providers, protocol version and seed
     */
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

    /**
     * A context travels with a 16-bit length (RFC 5705 section 4): 65535 bytes at most. A
     * 32-byte context is agreed by both sides; a 256-byte one too, except on a side whose
     * backend's DTLS 1.2 exporter cannot take it (wolfSSL copies label and seed into 128 bytes),
     * which refuses it with the typed error of {@code SessionPreconditions.requireExportFits}.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("EX-6")
    default void exportWithAContextOver65535BytesIsRefused(TckRun run) {
        try (SessionPair pair = Tck.clean(run, Tck.client(run).build(), Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            byte[] c = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j",
                    new byte[32], 16));
            byte[] s = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j",
                    new byte[32], 16));
            assertArrayEquals(c, s, "a context of 32 bytes is allowed and agreed");
            // OpenSSL 3.0's PRF takes at most 1 KB of seed (label, randoms and context), so this stays well under it.
            byte[] c256 = exportOrTypedRefusal(run, pair.client(), new byte[256]);
            byte[] s256 = exportOrTypedRefusal(run, pair.server(), new byte[256]);
            if (c256 != null && s256 != null) {
                assertArrayEquals(c256, s256, "a context of 256 bytes, where both backends take it, is agreed");
            }
            assertThrows(IllegalArgumentException.class,
                    () -> pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-dtls4j",
                            new byte[0x10000], 16)),
                    "a context of 65536 bytes must throw IllegalArgumentException");
        }
    }

    /** The export, or null where this side's provider refused it with the typed error of a backend limit. */
    private static byte[] exportOrTypedRefusal(TckRun run, SessionPair.End end, byte[] context) {
        try {
            return end.onLoop(() -> end.session().exportKeyingMaterial("EXPERIMENTAL-dtls4j", context, 16));
        } catch (DtlsUnsupportedCapabilityException e) {
            assertEquals(Capability.KEYING_MATERIAL_EXPORTER, e.capability(), "a refused export names the exporter");
            return null;
        }
    }
}
