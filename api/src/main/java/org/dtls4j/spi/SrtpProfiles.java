package org.dtls4j.spi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SRTP protection profiles of the use_srtp extension (RFC 5764 section 4.1.2; RFC 7714
 * for the AEAD ones) that dtls4j knows, by the names OpenSSL gives them and their IANA
 * values: what {@code DtlsConfig.Builder.srtpProfiles} accepts, and how a provider that
 * writes the extension itself turns names into values and back.
 *
 * <p>These are the profiles OpenSSL 3.0 implements; a name outside them fails when the
 * configuration is built. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SrtpProfiles {

    private record Profile(String name, int id) {
    }

    private static final List<Profile> KNOWN = List.of(
            new Profile("SRTP_AES128_CM_SHA1_80", 0x0001),
            new Profile("SRTP_AES128_CM_SHA1_32", 0x0002),
            new Profile("SRTP_AEAD_AES_128_GCM", 0x0007),
            new Profile("SRTP_AEAD_AES_256_GCM", 0x0008));

    private SrtpProfiles() {
    }

    /** {@return every known profile name, in the order of their IANA values} */
    public static List<String> names() {
        return KNOWN.stream().map(Profile::name).toList();
    }

    /**
     * {@return the IANA value of the profile called {@code name}, if dtls4j knows it}
     *
     * @param name a profile name such as {@code SRTP_AES128_CM_SHA1_80}
     */
    public static OptionalInt id(String name) {
        return KNOWN.stream().filter(p -> p.name.equals(name)).mapToInt(Profile::id).findFirst();
    }

    /**
     * {@return the name of the profile with IANA value {@code id}, if dtls4j knows it}
     *
     * @param id an IANA profile value such as {@code 0x0001}
     */
    public static Optional<String> name(int id) {
        return KNOWN.stream().filter(p -> p.id == id).map(Profile::name).findFirst();
    }
}
