package org.dtls4j;

import java.util.Set;
import java.util.stream.Collectors;
import org.dtls4j.spi.ConfigFacts;

/**
 * The check that ties cipher suites to protocol versions when a {@link DtlsConfig} is built:
 * each enabled version has a suite of its own, and each suite's version is enabled, or the
 * configuration could silently never negotiate a version it names. Stateless and thread-safe.
 */
final class SuiteVersions {

    private SuiteVersions() {
    }

    /** @throws DtlsConfigurationException naming the suite or version and the fix */
    static void check(DtlsConfig config) {
        Set<ProtocolVersion> versions = config.protocolVersions();
        boolean dtls13 = versions.contains(ProtocolVersion.DTLS_1_3);
        boolean dtls12 = versions.contains(ProtocolVersion.DTLS_1_2) || versions.contains(ProtocolVersion.DTLS_1_0);
        String tls13Suite = config.cipherSuites().stream().filter(ConfigFacts::isTls13Suite).findFirst().orElse(null);
        String tls12Suite = config.cipherSuites().stream().filter(s -> !ConfigFacts.isTls13Suite(s)).findFirst().orElse(null);
        String names = versions.stream().sorted().map(ProtocolVersion::standardName).collect(Collectors.joining(", "));
        if (tls13Suite != null && !dtls13) {
            throw new DtlsConfigurationException("'" + tls13Suite + "' is a TLS 1.3 suite but protocolVersions ("
                    + names + ") has no DTLS 1.3; add ProtocolVersion.DTLS_1_3 to protocolVersions, or remove the TLS 1.3 suites");
        }
        if (tls12Suite != null && !dtls12) {
            throw new DtlsConfigurationException("'" + tls12Suite + "' is a DTLS 1.2 suite but protocolVersions ("
                    + names + ") has no DTLS 1.2; name TLS 1.3 suites such as " + DtlsConfig.DEFAULT_TLS13_CIPHER_SUITES.get(0)
                    + ", or add ProtocolVersion.DTLS_1_2 to protocolVersions");
        }
        if (dtls13 && tls13Suite == null) {
            throw new DtlsConfigurationException("DTLS 1.3 is enabled but no TLS 1.3 suite is; add one of "
                    + DtlsConfig.TLS13_CIPHER_SUITES + " to cipherSuites, or remove DTLS_1_3 from protocolVersions");
        }
        if (dtls12 && tls12Suite == null) {
            throw new DtlsConfigurationException("DTLS 1.2 is enabled but only TLS 1.3 suites are, which DTLS 1.2"
                    + " cannot use; add a DTLS 1.2 suite such as " + DtlsConfig.DEFAULT_CIPHER_SUITES.get(0)
                    + ", or set protocolVersions(ProtocolVersion.DTLS_1_3)");
        }
    }
}
