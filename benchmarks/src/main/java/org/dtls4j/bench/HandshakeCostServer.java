package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.dtls4j.Credentials;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.PeerVerification;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.TransportOptions;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * The server process of {@link ServerHandshakeCost}: one echo server on 127.0.0.1, a dtls4j
 * {@link DtlsServer} of the named provider (DTLS 1.2) or Californium Scandium's
 * {@code DTLSConnector}, both requiring a client certificate, with the credentials from the
 * key store the parent wrote. Prints {@code port <n>}, then answers every {@code mark} line on
 * its standard input with {@code cpu <nanoseconds>}, this process's CPU time so far, and
 * {@code threads <groups>}, the same per group of threads ({@link ThreadCpu}); ends at the end of
 * its input.
 *
 * <pre>java -cp ... org.dtls4j.bench.HandshakeCostServer PROVIDER|scandium KEYSTORE</pre>
 *
 * <p>Thread-safe: a process's main, which reads its commands on one thread.
 */
public final class HandshakeCostServer {

    /** The name that selects Californium Scandium instead of a dtls4j provider. */
    static final String SCANDIUM = "scandium";
    /**
     * Scandium with {@code DTLS_VERIFY_PEERS_ON_RESUMPTION_THRESHOLD} 0: a HelloVerifyRequest on
     * every resumption, as every dtls4j server sends. By default Scandium 3.14 answers a resuming
     * ClientHello without a cookie exchange while the handshakes whose peer it has not verified
     * stay under 30% of its connection limit (150,000): every resumption of this benchmark.
     */
    static final String SCANDIUM_HVR = "scandium-hvr";
    /** The password of the parent's PKCS#12 key store. */
    static final char[] PASSWORD = "dtls4j-bench".toCharArray();

    private HandshakeCostServer() {
    }

    public static void main(String[] args) throws Exception {
        String server = args[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            keys.load(in, PASSWORD);
        }
        X509Certificate ca = (X509Certificate) keys.getCertificate("ca");
        AutoCloseable running = server.equals(SCANDIUM) || server.equals(SCANDIUM_HVR)
                ? scandium(keys, ca, server.equals(SCANDIUM_HVR)) : dtls4j(server, keys, ca);
        try (running; BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = commands.readLine()) != null; ) {
                if (line.equals("mark")) {
                    System.out.println("cpu " + processCpuNanos());
                    System.out.println("threads " + ThreadCpu.format(ThreadCpu.snapshot()));
                    System.out.flush();
                }
            }
        }
    }

    /** A dtls4j server that echoes every record. */
    private static AutoCloseable dtls4j(String provider, KeyStore keys, X509Certificate ca) throws Exception {
        DtlsConfig config = DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2)
                .credentials(Credentials.fromKeyStore(keys, "server", PASSWORD)).trustedCertificates(ca)
                .peerVerification(PeerVerification.REQUIRED).build();
        DtlsContext context = Dtls.provider(provider).newContext(config);
        DtlsServer listener = DtlsServer.bind(context, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                TransportOptions.defaults(), UdpEchoBenchmark.ECHO);
        System.out.println("port " + listener.localAddress().getPort());
        System.out.flush();
        return () -> {
            listener.close();
            context.close();
        };
    }

    /**
     * Californium Scandium's server, as its documentation sets up x509 with client
     * authentication: HelloVerifyRequest on (its default), the client certificate needed,
     * the one ECDSA suite the dtls4j servers choose first; with {@code cookieOnResumption}, a
     * HelloVerifyRequest before every resumption too.
     */
    private static AutoCloseable scandium(KeyStore keys, X509Certificate ca, boolean cookieOnResumption) throws Exception {
        org.eclipse.californium.scandium.config.DtlsConfig.register();
        DtlsConnectorConfig.Builder b = DtlsConnectorConfig.builder(new Configuration())
                .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE,
                        org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.SERVER_ONLY)
                .set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE,
                        CertificateAuthenticationMode.NEEDED)
                .setAsList(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CIPHER_SUITES,
                        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
                .setCertificateIdentityProvider(new SingleCertificateProvider((PrivateKey) keys.getKey("server", PASSWORD),
                        keys.getCertificateChain("server"), CertificateType.X_509))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(new Certificate[] {ca}).build());
        if (cookieOnResumption) {
            b.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_VERIFY_PEERS_ON_RESUMPTION_THRESHOLD, 0);
        }
        DTLSConnector connector = new DTLSConnector(b.build());
        connector.setRawDataReceiver(in -> connector.send(RawData.outbound(in.getBytes(), in.getEndpointContext(), null, false)));
        connector.start();
        System.out.println("port " + connector.getAddress().getPort());
        System.out.flush();
        return connector::destroy;
    }

    /** CPU time of the whole process so far, in nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time (com.sun.management"
                + ".OperatingSystemMXBean): run the benchmark on a HotSpot-based JDK");
    }
}
