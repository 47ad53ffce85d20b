package org.dtls4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.dtls4j.spi.DtlsProvider;

/**
 * The provider registry: which DTLS backends are installed, and which one to use.
 *
 * <p>Selection by configuration: the system property {@value #PROVIDER_PROPERTY}, then
 * the environment variable {@value #PROVIDER_ENVIRONMENT}, then the available provider
 * with the highest {@link DtlsProvider#priority()}. A provider named explicitly that is
 * unknown or unavailable is an error that lists every provider found; only the default
 * choice falls back.
 *
 * <p>Providers are discovered once, on first use, with {@link ServiceLoader}. A provider
 * jar that is broken (its class cannot be loaded or constructed) is logged and skipped; the
 * others are still found, and error messages mention the broken one.
 *
 * <p>{@link DtlsProvider} is the one spi type in this package's signatures, on purpose: the
 * registry is where users and provider authors meet (as {@code java.sql.DriverManager}
 * hands out {@code Driver}s), and what a user reads of a provider (name, availability,
 * capabilities, protocol versions) is that interface's own contract.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class Dtls {

    /** The system property that names the provider to use. */
    public static final String PROVIDER_PROPERTY = "dtls4j.provider";
    /** The environment variable that names the provider to use. */
    public static final String PROVIDER_ENVIRONMENT = "DTLS4J_PROVIDER";

    private static final System.Logger LOG = System.getLogger(Dtls.class.getName());

    private static volatile Discovery discovery;

    private Dtls() {
    }

    /** {@return every provider found, available or not, best first (priority, then name)} */
    public static List<DtlsProvider> providers() {
        return discover().providers;
    }

    /**
     * The provider with this name.
     *
     * @param name the provider's name, such as {@code "openssl"}
     * @return the provider, available here
     * @throws DtlsConfigurationException if no provider has this name, or it is
     *         unavailable; the message lists every provider found and why each
     *         unavailable one is so
     */
    public static DtlsProvider provider(String name) {
        Discovery d = discover();
        for (DtlsProvider p : d.providers) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                if (!p.availability().isAvailable()) {
                    throw new DtlsConfigurationException("DTLS provider '" + p.name() + "' is unavailable: "
                            + p.availability().reason().orElse("") + ". " + d.describe());
                }
                return p;
            }
        }
        throw new DtlsConfigurationException("no DTLS provider named '" + name + "'. " + d.describe());
    }

    /**
     * The provider configuration selects: {@value #PROVIDER_PROPERTY}, then
     * {@value #PROVIDER_ENVIRONMENT}, then the best available one.
     *
     * @return the selected provider, available here
     * @throws DtlsConfigurationException if the named provider is unknown or unavailable,
     *         or none is available at all
     */
    public static DtlsProvider defaultProvider() {
        return select(System.getProperty(PROVIDER_PROPERTY), System.getenv(PROVIDER_ENVIRONMENT));
    }

    /**
     * {@return a context from the default provider}
     *
     * @param config the configuration, validated by its builder
     * @throws DtlsConfigurationException as {@link #defaultProvider()}, or if the provider
     *         cannot honour the configuration
     */
    public static DtlsContext newContext(DtlsConfig config) {
        return newContext(defaultProvider(), config);
    }

    /**
     * {@return a context from the named provider}
     *
     * @param providerName the provider's name, such as {@code "jsse"}
     * @param config the configuration, validated by its builder
     * @throws DtlsConfigurationException as {@link #provider(String)}, or if the provider
     *         cannot honour the configuration
     */
    public static DtlsContext newContext(String providerName, DtlsConfig config) {
        return newContext(provider(providerName), config);
    }

    private static DtlsContext newContext(DtlsProvider provider, DtlsConfig config) {
        // The provider checks availability and capabilities (Capabilities.requireUsable): its
        // contract says so and the TCK holds it to that, so checking here too ran it twice.
        return provider.newContext(config);
    }

    static DtlsProvider select(String property, String environment) {
        if (property != null && !property.isBlank()) {
            return provider(property);
        }
        if (environment != null && !environment.isBlank()) {
            return provider(environment);
        }
        Discovery d = discover();
        for (DtlsProvider p : d.providers) {
            if (p.availability().isAvailable()) {
                return p;
            }
        }
        throw new DtlsConfigurationException("no DTLS provider is available. " + d.describe()
                + " Add a provider jar such as dtls4j-provider-jsse to the class path.");
    }

    /**
     * Forgets what was discovered; the next call looks again.
     *
     * <p>A user-facing member, not a provider author's: an application that adds provider
     * jars to its class path at run time (a plugin host) calls it to see them, and tests call it
     * to start from a clean registry. Contexts already made keep working.
     */
    public static void reload() {
        discovery = null;
    }

    private static Discovery discover() {
        Discovery d = discovery;
        if (d == null) {
            synchronized (Dtls.class) {
                d = discovery;
                if (d == null) {
                    d = Discovery.load();
                    discovery = d;
                }
            }
        }
        return d;
    }

    private static final class Discovery {
        final List<DtlsProvider> providers;
        final List<String> broken;

        private Discovery(List<DtlsProvider> providers, List<String> broken) {
            this.providers = List.copyOf(providers);
            this.broken = List.copyOf(broken);
        }

        static Discovery load() {
            List<DtlsProvider> found = new ArrayList<>();
            List<String> broken = new ArrayList<>();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Iterator<DtlsProvider> it = ServiceLoader.load(DtlsProvider.class,
                    loader != null ? loader : Dtls.class.getClassLoader()).iterator();
            // hasNext() and next() can each fail for one bad entry; the rest still load.
            for (int guard = 0; guard < 1000; guard++) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    DtlsProvider p = it.next();
                    String name = p.name();
                    p.priority(); // a provider that cannot say these is broken; find out now
                    if (found.stream().noneMatch(q -> q.name().equalsIgnoreCase(name))) {
                        found.add(p);
                    } else {
                        LOG.log(System.Logger.Level.WARNING, "two DTLS providers are named ''{0}''; using the first, {1}",
                                name, found.stream().filter(q -> q.name().equalsIgnoreCase(name)).findFirst()
                                        .orElseThrow().getClass().getName());
                    }
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    broken.add(String.valueOf(e.getMessage()));
                    LOG.log(System.Logger.Level.WARNING, "skipping a DTLS provider that cannot be loaded", e);
                }
            }
            found.sort(Comparator.comparingInt(DtlsProvider::priority).reversed()
                    .thenComparing(p -> p.name().toLowerCase(Locale.ROOT)));
            return new Discovery(found, broken);
        }

        String describe() {
            StringBuilder sb = new StringBuilder("Providers found: ");
            if (providers.isEmpty()) {
                sb.append("none");
            }
            for (int i = 0; i < providers.size(); i++) {
                DtlsProvider p = providers.get(i);
                sb.append(i == 0 ? "[" : ", ").append(p.name());
                p.availability().reason().ifPresent(r -> sb.append(" (unavailable: ").append(r).append(')'));
                if (i == providers.size() - 1) {
                    sb.append(']');
                }
            }
            sb.append('.');
            if (!broken.isEmpty()) {
                sb.append(" Providers that failed to load: ").append(broken).append('.');
            }
            return sb.toString();
        }
    }
}
