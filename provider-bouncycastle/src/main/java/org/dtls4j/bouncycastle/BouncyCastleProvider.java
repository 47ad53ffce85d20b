package org.dtls4j.bouncycastle;

import com.google.auto.service.AutoService;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.Availability;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;

/**
 * The dtls4j provider over BouncyCastle's bctls ({@code DTLSClientProtocol} /
 * {@code DTLSServerProtocol}), pure Java.
 *
 * <p>Capabilities: {@link Capability#PSK}, {@link Capability#KEYING_MATERIAL_EXPORTER},
 * {@link Capability#SESSION_RESUMPTION}, {@link Capability#ALPN}, {@link Capability#SNI},
 * {@link Capability#CONNECTION_ID}, {@link Capability#HEARTBEAT}.
 *
 * <p>BouncyCastle's handshakes block a thread each: every handshake in progress gets one, so
 * that peers who stall mid-handshake delay nobody else, up to a cap per context set by
 * {@value #HANDSHAKE_THREADS_PROPERTY} (default 1,000, the listener's default
 * {@code maxHandshakes}); handshakes beyond it wait for a free thread. A queued handshake
 * starts only while fewer than twice the processors (at least 4) compute; one that has waited
 * 20 ms for its peer no longer counts. Established sessions hold no thread.
 *
 * <p>Thread-safe. The constructor does nothing; BouncyCastle is probed on first use.
 *
 * @since 0.1
 */
@AutoService(DtlsProvider.class)
public final class BouncyCastleProvider implements DtlsProvider {

    /** The system property that sets the handshake threads per context. */
    public static final String HANDSHAKE_THREADS_PROPERTY = "dtls4j.bouncycastle.handshakeThreads";

    private static final String NAME = "bouncycastle";
    /** The default cap: {@code TransportOptions}' default {@code maxHandshakes}, which bounds a listener first. */
    private static final int DEFAULT_HANDSHAKE_THREADS = 1_000;

    private final int handshakeThreads;

    /** Creates the provider; ServiceLoader calls this. */
    public BouncyCastleProvider() {
        this(0);
    }

    /** A provider whose contexts run at most {@code handshakeThreads} handshakes at once; 0 for the default. */
    BouncyCastleProvider(int handshakeThreads) {
        this.handshakeThreads = handshakeThreads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability availability() {
        return Probe.AVAILABILITY;
    }

    @Override
    public Set<Capability> capabilities() {
        return Features.CAPABILITIES;
    }

    /** A note when reflection into bctls is refused (module path): see {@link ClientHelloRequests}. */
    @Override
    public List<String> notes() {
        return availability().isAvailable() ? ClientHelloRequests.fallbackNote().stream().toList() : List.of();
    }

    @Override
    public DtlsContext newContext(DtlsConfig config) {
        DtlsConfig resolved = Capabilities.requireUsable(this, config);
        return BcContext.create(NAME, resolved, handshakeThreads > 0 ? handshakeThreads : defaultHandshakeThreads());
    }

    private static int defaultHandshakeThreads() {
        int fallback = DEFAULT_HANDSHAKE_THREADS;
        Integer configured = Integer.getInteger(HANDSHAKE_THREADS_PROPERTY);
        return configured != null && configured > 0 ? configured : fallback;
    }

    @Override
    public String toString() {
        return "BouncyCastleProvider[" + availability() + ", " + capabilities() + "]";
    }

    /** Whether bctls loads here, found once on first use. */
    private static final class Probe {
        static final Availability AVAILABILITY = Availability.probe(Probe::loadBctls,
                e -> "BouncyCastle bctls-jdk18on is not usable here: " + e
                        + "; put bctls-jdk18on, bcprov-jdk18on and bcutil-jdk18on on the class or module path");

        private static void loadBctls() throws ClassNotFoundException {
            new org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto(new java.security.SecureRandom());
            Class.forName("org.bouncycastle.tls.DTLSServerProtocol");
        }
    }

    /** What this provider implements and the TCK proves. */
    private static final class Features {
        static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
                Capability.PSK, Capability.KEYING_MATERIAL_EXPORTER, Capability.SESSION_RESUMPTION,
                Capability.ALPN, Capability.SNI, Capability.CONNECTION_ID, Capability.HEARTBEAT, Capability.SRTP,
                Capability.RAW_PUBLIC_KEY));
    }
}
