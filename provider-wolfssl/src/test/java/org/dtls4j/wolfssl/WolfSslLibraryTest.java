package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.dtls4j.Capability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the provider looks for wolfSSL, and what it says when it finds none. */
class WolfSslLibraryTest {

    @Test
    void aNamedLibraryIsTheOnlyCandidate() {
        assertThat(WolfSslLibrary.candidates("/opt/x/libwolfssl.so", Map.of(), "/home/u"))
                .containsExactly("/opt/x/libwolfssl.so");
    }

    @Test
    void theScriptsNewestCompleteBuildComesBeforeTheSystem(@TempDir Path cache) throws Exception {
        Path old = build(cache, "wolfssl-5.7.2-aaaa", true, 1_000);
        Path newest = build(cache, "wolfssl-5.9.2-bbbb", true, 2_000);
        build(cache, "wolfssl-5.9.3-cccc", false, 3_000); // interrupted: no stamp
        assertThat(WolfSslLibrary.candidates("", Map.of("DTLS4J_CACHE", cache.toString()), "/nowhere"))
                .containsExactly(newest.toString(), "wolfssl", "libwolfssl.so");
        assertThat(old).exists();
    }

    @Test
    void withoutACacheOnlyTheSystemIsTried(@TempDir Path home) {
        assertThat(WolfSslLibrary.candidates("", Map.of(), home.toString())).containsExactly("wolfssl", "libwolfssl.so");
    }

    @Test
    void anUnloadableLibraryMakesTheProviderUnavailableNamingTheScript() {
        WolfSslLibrary.Loaded l = WolfSslLibrary.load(java.util.List.of("/nonexistent/libwolfssl.so"));
        assertThat(l.availability().isAvailable()).isFalse();
        assertThat(l.availability().reason().orElseThrow()).contains(WolfSslLibrary.SCRIPT)
                .contains(WolfSslLibrary.PROPERTY).contains(WolfSslLibrary.ENV);
    }

    @Test
    @NeedsWolfSsl
    void theLoadedLibraryExportsWhatTheProviderNeeds() {
        assertThat(new WolfSslProvider().availability().isAvailable())
                .as("%s", new WolfSslProvider().availability()).isTrue();
        for (String s : WolfSslLibrary.REQUIRED) {
            assertThat(WolfSslLibrary.has(s)).as(s).isTrue();
        }
        assertThat(WolfSslLibrary.library()).contains("5.9.2");
    }

    /** The flags of {@code scripts/wolfssl.sh} enable each of these; a missing symbol would drop one silently. */
    @Test
    @NeedsWolfSsl
    void theScriptsBuildDeclaresTheCapabilitiesItsFlagsEnable() {
        assertThat(new WolfSslProvider().capabilities()).contains(Capability.SNI, Capability.ALPN,
                Capability.KEYING_MATERIAL_EXPORTER, Capability.PSK, Capability.SESSION_RESUMPTION, Capability.SRTP,
                Capability.DTLS_1_3, Capability.CONNECTION_ID);
        java.util.Set<Capability> expected = java.util.EnumSet.of(Capability.CONNECTION_ID);
        expected.addAll(WolfSslCapabilities.SYMBOLS.keySet());
        assertThat(WolfSslCapabilities.declared()).isEqualTo(expected);
    }

    private static Path build(Path cache, String name, boolean complete, long modified) throws Exception {
        Path dir = Files.createDirectories(cache.resolve(name).resolve("build"));
        Path lib = Files.writeString(dir.resolve("libwolfssl.so"), "x");
        Files.setLastModifiedTime(lib, FileTime.fromMillis(modified));
        if (complete) {
            Files.writeString(cache.resolve(name).resolve(".complete"), "version=x\n");
        }
        return lib;
    }
}
