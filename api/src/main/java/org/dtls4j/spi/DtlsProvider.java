package org.dtls4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dtls4j.Capability;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;

/**
 * A DTLS backend: what {@code java.sql.Driver} is to JDBC.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}; register one with
 * {@code @AutoService(DtlsProvider.class)} (which writes {@code META-INF/services}) and a
 * {@code provides} clause in {@code module-info.java}. The class must be public with a
 * public no-argument constructor that does no expensive or failing work: load native
 * code and probe the backend lazily, and report the result through
 * {@link #availability()} instead of throwing.
 *
 * <p>Implementations must be thread-safe. Prove one with the TCK: a test class that
 * implements {@code org.dtls4j.tck.DtlsTck}.
 *
 * @since 0.1
 */
public interface DtlsProvider {

    /** {@return a short, unique, lower-case name such as {@code "jsse"}; what users select by} */
    String name();

    /**
     * {@return rank among available providers when none is selected explicitly; higher wins}
     * Ties break by name.
     */
    int priority();

    /**
     * {@return whether the backend can be used here, and if not, why} Cheap after the first call.
     */
    Availability availability();

    /**
     * {@return the optional features this provider implements, the protocol versions beyond DTLS 1.2
     * among them ({@link Capability#DTLS_1_0}, {@link Capability#DTLS_1_3}): the one
     * declaration of what it speaks, read as versions by {@link Capabilities#protocolVersions}}
     * Constant and side-effect free; cheap after the first call, which may probe the backend
     * once (and then says so in the provider's documentation).
     */
    Set<Capability> capabilities();

    /**
     * {@return what a user should know about how this provider runs here although it is available:
     * a fallback it had to take, and how to avoid it (the {@code dtls4j providers} command
     * prints these)} Empty by default. Cheap after the first call; each note stands alone.
     */
    default List<String> notes() {
        return List.of();
    }

    /**
     * {@return how many objects this provider owns outside the Java heap are alive now, by kind
     * (for example {@code "SSL"}), for leak checks} Empty by default: nothing is counted. A
     * native backend counts every object it creates and frees ({@link LiveCounts#byName()}); the
     * TCK's session fuzzer checks that what one input made is freed again once its sessions are
     * closed. Cheap; the counts are the JVM's, across all of this provider's contexts.
     */
    default Map<String, Long> liveObjects() {
        return Map.of();
    }

    /**
     * Compiles a configuration into a context.
     *
     * <p>Must refuse, with {@link org.dtls4j.DtlsUnsupportedCapabilityException}, any
     * configuration that needs a capability this provider does not declare
     * ({@link Capabilities#requireUsable} checks that and availability first), and with
     * {@link org.dtls4j.DtlsConfigurationException} anything else it cannot honour (for
     * example none of the configured cipher suites is implemented). The context runs, and its
     * {@link DtlsContext#config()} reports, the configuration {@code requireUsable} returns:
     * versions left at the default narrowed to those this provider speaks.
     *
     * @param config the configuration, already validated by its builder
     * @return a thread-safe context that makes client and server sessions under {@code config}
     * @throws org.dtls4j.DtlsConfigurationException if the provider is unavailable
     */
    DtlsContext newContext(DtlsConfig config);
}
