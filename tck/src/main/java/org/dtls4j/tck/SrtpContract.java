package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.junit.jupiter.api.Test;

/**
 * The use_srtp extension (RFC 5764), for providers that declare {@link Capability#SRTP}:
 * DTLS-SRTP, where the handshake picks an SRTP protection profile and the SRTP keys come
 * from the exporter with the label {@code "EXTRACTOR-dtls_srtp"}.
 *
 * <p>If these fail, check that the provider offers the configured profiles by their RFC
 * names, reports the one the server selected in {@code DtlsSessionInfo.srtpProfile()} on
 * both sides, and exports keying material with the label unchanged.
 *
 * @since 0.1
 */
@RequiresCapability(Capability.SRTP)
public interface SrtpContract extends TckTarget {

    /** The only profile both sides of these tests configure. */
    String COMMON_PROFILE = "SRTP_AES128_CM_SHA1_80";

    /**
     * Checks rule SR-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("SR-1")
    default void bothSidesAgreeOnTheCommonSrtpProfile(TckRun run) {
        DtlsConfig client = Tck.client(run).srtpProfiles("SRTP_AEAD_AES_128_GCM", COMMON_PROFILE).build();
        DtlsConfig server = Tck.server(run).srtpProfiles(COMMON_PROFILE, "SRTP_AES128_CM_SHA1_32").build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals(COMMON_PROFILE, pair.client().established().join().srtpProfile().orElse("(none)"),
                    "the client reports the profile both sides offer");
            assertEquals(COMMON_PROFILE, pair.server().established().join().srtpProfile().orElse("(none)"),
                    "the server reports the profile both sides offer");
        }
    }

    /**
     * Checks rule SR-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("SR-2")
    @RequiresCapability({Capability.SRTP, Capability.KEYING_MATERIAL_EXPORTER})
    default void srtpKeyingMaterialIsTheSameOnBothSides(TckRun run) {
        DtlsConfig client = Tck.client(run).srtpProfiles(COMMON_PROFILE).build();
        DtlsConfig server = Tck.server(run).srtpProfiles(COMMON_PROFILE).build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            // RFC 5764 section 4.2: two master keys of 16 bytes and two master salts of 14
            int length = 2 * (16 + 14);
            byte[] c = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXTRACTOR-dtls_srtp", length));
            byte[] s = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXTRACTOR-dtls_srtp", length));
            assertEquals(length, c.length, "the requested length");
            assertArrayEquals(c, s, "both sides derive the same SRTP keying material");
        }
    }
}
