package org.dtls4j.openssl;

import com.google.auto.service.AutoService;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;

/**
 * The dtls4j provider over the native OpenSSL 3 library ({@code libssl.so.3}), bound with
 * JNA: the seed's {@code SSL_CTX} / {@code SSL} / {@code DTLSv1_listen} API behind the
 * sans-IO session contract, with memory BIOs instead of sockets.
 *
 * <p>The library is the one named by the system property {@value OpenSslLibrary#PROPERTY}
 * (a path or a library name), else {@code libssl.so.3} or {@code libssl} from the system's
 * library path. When it cannot be loaded the provider is still registered, reports itself
 * unavailable with the reason, and breaks nothing else.
 *
 * <p>Capabilities: ALPN, SNI, PSK (plain and ECDHE-PSK AEAD suites), keying material
 * exporters, use_srtp and session resumption. OpenSSL 3.0 has no heartbeat, no Connection
 * ID and no DTLS 1.3; DTLS 1.0 is not offered (OpenSSL 3.0 allows it only at security
 * level 0).
 *
 * <p>Thread-safe. The constructor does nothing; the library is loaded on first use.
 *
 * @since 0.1
 */
@AutoService(DtlsProvider.class)
public final class OpenSslProvider implements DtlsProvider {

    private static final String NAME = "openssl";
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.ALPN, Capability.SNI, Capability.PSK, Capability.KEYING_MATERIAL_EXPORTER,
            Capability.SRTP, Capability.SESSION_RESUMPTION, Capability.SHARED_SESSION_TICKETS));

    /** The library to load, "" for the defaults; read when the provider is made. */
    private final String library;

    /** Creates the provider; ServiceLoader calls this. Reads {@value OpenSslLibrary#PROPERTY}. */
    public OpenSslProvider() {
        this(OpenSslLibrary.configuredSpec());
    }

    /** A provider that loads {@code library} (a path or a name; "" for the defaults). */
    OpenSslProvider(String library) {
        this.library = Objects.requireNonNull(library, "library");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Availability availability() {
        return OpenSslLibrary.availability(library);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** {@return the native objects alive now ({@link NativeObjects}), by kind} */
    @Override
    public Map<String, Long> liveObjects() {
        return NativeObjects.COUNTS.byName();
    }

    @Override
    public DtlsContext newContext(DtlsConfig config) {
        DtlsConfig resolved = Capabilities.requireUsable(this, config);
        return OpenSslContext.create(NAME, resolved);
    }

    @Override
    public String toString() {
        return "OpenSslProvider[" + availability() + ", " + capabilities() + "]";
    }
}
