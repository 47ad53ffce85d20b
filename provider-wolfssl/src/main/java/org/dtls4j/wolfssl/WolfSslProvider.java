package org.dtls4j.wolfssl;

import com.google.auto.service.AutoService;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.DtlsProvider;

/**
 * The dtls4j provider over the native wolfSSL library ({@code libwolfssl.so}, 5.9.2 as
 * {@code scripts/wolfssl.sh} builds it), bound with JNA direct mapping: a sans-IO session
 * over wolfSSL's I/O callbacks.
 *
 * <p>Which library: see {@link WolfSslLibrary} (system property {@value WolfSslLibrary#PROPERTY},
 * environment {@value WolfSslLibrary#ENV}, the script's cache, the system). When none loads the
 * provider is still registered and reports itself unavailable with the reason.
 *
 * <p>Capabilities: those of {@link WolfSslCapabilities}, each declared only when the loaded
 * library exports the functions it needs (probed once at load), and DTLS 1.3 beside 1.2; behind
 * the api's listener the 1.3 cookie travels in wolfSSL's own stateless HelloRetryRequest
 * ({@link Dtls13Cookies}).
 *
 * <p>Licence: wolfSSL is GPLv3 or commercial. This provider ships no wolfSSL code; it loads
 * the library the user installed.
 *
 * <p>Thread-safe. The constructor does nothing; the library is loaded on first use.
 *
 * @since 0.1
 */
@AutoService(DtlsProvider.class)
public final class WolfSslProvider implements DtlsProvider {

    private static final String NAME = "wolfssl";

    /** Creates the provider; ServiceLoader calls this. */
    public WolfSslProvider() {
        // the library is loaded on first use
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Below every other provider (JSSE is 100): wolfSSL is GPLv3 or commercial, so it is used
     * only when a user names it, never picked by default for an application that did not ask
     * for its licence.
     */
    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability availability() {
        return WolfSslLibrary.availability();
    }

    @Override
    public Set<Capability> capabilities() {
        if (!availability().isAvailable()) {
            return Collections.emptySet();
        }
        EnumSet<Capability> c = EnumSet.noneOf(Capability.class);
        c.addAll(WolfSslCapabilities.declared());
        if (WolfSslLibrary.hasDtls13()) {
            c.add(Capability.DTLS_1_3);
        }
        return Collections.unmodifiableSet(c);
    }

    /** {@return the native objects alive now ({@link NativeObjects}), by kind} */
    @Override
    public Map<String, Long> liveObjects() {
        return NativeObjects.COUNTS.byName();
    }

    @Override
    public DtlsContext newContext(DtlsConfig config) {
        DtlsConfig resolved = Capabilities.requireUsable(this, config);
        return WolfSslContext.create(NAME, pskAtMostDtls12(resolved));
    }

    /**
     * A pre-shared-key configuration with DTLS 1.2 at most. wolfSSL 5.9.2 fails an external PSK
     * handshake in DTLS 1.3 with illegal_parameter (-313, checked 2026-12-05), and dtls4j has no
     * contract for 1.3 PSKs yet (the PSK rules are DTLS 1.2's): so a configuration that names
     * DTLS 1.3 with a PSK is refused, naming the fix, and one that left the versions unset
     * negotiates 1.2.
     */
    private static DtlsConfig pskAtMostDtls12(DtlsConfig config) {
        boolean psk = config.preSharedKey().isPresent() || config.pskKeyStore().isPresent();
        if (!psk || !config.protocolVersions().contains(ProtocolVersion.DTLS_1_3)) {
            return config;
        }
        if (config.protocolVersionsExplicit()) {
            throw new DtlsUnsupportedCapabilityException(Capability.PSK, NAME,
                    "pre-shared keys in DTLS 1.3 are not supported by this provider (wolfSSL fails the handshake);"
                    + " name ProtocolVersion.DTLS_1_2 in protocolVersions(...)");
        }
        EnumSet<ProtocolVersion> versions = EnumSet.copyOf(config.protocolVersions());
        versions.remove(ProtocolVersion.DTLS_1_3);
        return config.toBuilder().protocolVersions(versions).cipherSuites(config.cipherSuites().stream()
                .filter(s -> !ConfigFacts.isTls13Suite(s)).toList()).build();
    }

    @Override
    public String toString() {
        return "WolfSslProvider[" + availability() + ", " + capabilities() + "]";
    }
}
