package org.dtls4j.jsse;

import com.google.auto.service.AutoService;
import java.security.Security;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;

/**
 * The dtls4j provider over the JDK's own DTLS implementation, {@code SSLEngine} in
 * {@code "DTLSv1.2"} mode: no native code and no dependency beyond the JDK.
 *
 * <p>Capabilities: {@link Capability#ALPN}, {@link Capability#SNI}, and
 * {@link Capability#DTLS_1_0} where the JDK's {@code jdk.tls.disabledAlgorithms} security
 * property allows it (current JDK 17 updates list {@code DTLSv1.0} there, and JSSE then
 * refuses it in every handshake). JSSE has no PSK, raw public keys, heartbeat,
 * Connection ID or use_srtp, and no exporter before JDK 25.
 * {@link Capability#SESSION_RESUMPTION} where JSSE checks cookies on resumption too
 * (JDK 17 updates with {@code jdk.tls.enableDtlsResumeCookie}, unless it is set to false),
 * which {@link ResumptionProbe} finds by behaviour; elsewhere sessions are never resumed,
 * and {@link #notes()} says why (also when the probe itself failed).
 *
 * <p>Thread-safe. The constructor does nothing; JSSE is probed on first use. The first call
 * of {@link #capabilities()} or {@link #notes()} in a JVM runs that probe, one in-memory
 * handshake (about 1.5 s on a cold JVM, most of it JSSE's own start-up); every later call
 * returns what it found.
 *
 * @since 0.1
 */
@AutoService(DtlsProvider.class)
public final class JsseProvider implements DtlsProvider {

    private static final String NAME = "jsse";

    /** Creates the provider; ServiceLoader calls this. */
    public JsseProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return Probe.AVAILABILITY;
    }

    @Override
    public Set<Capability> capabilities() {
        return Features.CAPABILITIES;
    }

    @Override
    public List<String> notes() {
        return Features.NOTES;
    }

    @Override
    public DtlsContext newContext(DtlsConfig config) {
        DtlsConfig resolved = Capabilities.requireUsable(this, config);
        return JsseContext.create(NAME, resolved, System::nanoTime);
    }

    @Override
    public String toString() {
        return "JsseProvider[" + availability() + ", " + capabilities() + "]";
    }

    /** Whether this JDK has DTLS, found once on first use (class initialisation is lazy and thread-safe). */
    private static final class Probe {
        static final Availability AVAILABILITY = Availability.probe(() -> SSLContext.getInstance("DTLSv1.2"),
                e -> "this JDK (" + System.getProperty("java.vendor") + " " + Runtime.version()
                        + ") has no DTLSv1.2 SSLContext: " + e);
    }

    /**
     * Whether sessions may be resumed: {@link Capability#SESSION_RESUMPTION} is declared,
     * and contexts keep sessions instead of invalidating them.
     */
    static boolean resumes() {
        return Features.RESUMES;
    }

    /** What this JDK allows, read once on first use. */
    private static final class Features {
        // Before CAPABILITIES, which reads it.
        static final ResumptionProbe.Outcome RESUMPTION = ResumptionProbe.run();
        static final boolean RESUMES = RESUMPTION.resumes();
        static final List<String> NOTES = RESUMPTION.note().map(List::of).orElse(List.of());
        static final Set<Capability> CAPABILITIES = capabilities();

        private static Set<Capability> capabilities() {
            Set<Capability> c = EnumSet.of(Capability.ALPN, Capability.SNI);
            if (RESUMES) {
                c.add(Capability.SESSION_RESUMPTION);
            }
            if (!disabledBySecurityProperty("DTLSv1.0")) {
                c.add(Capability.DTLS_1_0);
            }
            return Collections.unmodifiableSet(c);
        }

        /**
         * Whether {@code jdk.tls.disabledAlgorithms} names the protocol: JSSE then refuses
         * it in every handshake, whatever the engine is told.
         */
        static boolean disabledBySecurityProperty(String protocol) {
            String disabled;
            try {
                disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
            } catch (SecurityException e) {
                return true; // cannot tell: do not promise it
            }
            if (disabled == null) {
                return false;
            }
            for (String entry : disabled.split(",")) {
                if (entry.trim().toLowerCase(Locale.ROOT).equals(protocol.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        }
    }
}
