package org.dtls4j.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dtls4j.CookieAuthority;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.PeerVerification;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.DecodedCertificates;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;

/**
 * The pieces of a server's handshake cost (what {@link ServerHandshakeCost} measures as a
 * whole) measured alone, in one process, each in a loop on the calling thread, in thread CPU
 * time: the listener's cookie (one HMAC made and one checked per handshake), a loopback
 * datagram sent and received, the client's chain turned into Java certificates as a session
 * info does (every client shows the same certificate, as in {@code ServerHandshakeCost}, so the
 * JDK's {@code CertificateFactory} hands back its cached object), a server session created and
 * closed unused, and the server's side of a whole mutual-auth handshake in memory (no sockets,
 * no listener: the calls into the server session only, and BouncyCastle's handshake threads),
 * full and resumed, with the same dtls4j OpenSSL client as {@code ServerHandshakeCost}.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.HandshakePieces [N [PROVIDER...]]</pre>
 *
 * <p>Each piece runs N/2 times to warm up, then N times measured. Not thread-safe: a main.
 */
public final class HandshakePieces {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** What BouncyCastle's handshake threads are called ({@code HandshakeExecutor}). */
    private static final String BC_THREADS = "dtls4j-bc-handshake-";

    private HandshakePieces() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<String> providers = new ArrayList<>();
        if (args.length > 1) {
            providers.addAll(List.of(args).subList(1, args.length));
        } else {
            Dtls.providers().stream().filter(p -> p.availability().isAvailable()).map(DtlsProvider::name)
                    .forEach(providers::add);
        }
        System.out.printf("| piece | µs per handshake (or as said) |%n|---|---:|%n");
        System.out.printf("| listener cookie: one HMAC-SHA256 cookie made and one checked | %.1f |%n", cookie(n));
        double[] socket = socket(n * 10);
        System.out.printf("| one loopback datagram sent (DatagramChannel.send), µs per datagram | %.1f |%n", socket[0]);
        System.out.printf("| one loopback datagram received (DatagramChannel.receive), µs per datagram | %.1f |%n", socket[1]);
        System.out.printf("| the client's chain (%d certificates) through CertificateFactory, seen before | %.1f |%n",
                TckPki.get().ecClient().certificateChain().size(), chain(n * 10, false));
        System.out.printf("| the same through DecodedCertificates (what the providers use) | %.1f |%n", chain(n * 10, true));
        DtlsContext clients = Dtls.provider("openssl").newContext(DtlsConfig.builder()
                .protocolVersions(ProtocolVersion.DTLS_1_2).credentials(TckPki.get().ecClient())
                .trustedCertificates(TckPki.get().caCertificate()).build());
        try (clients) {
            for (String provider : providers) {
                DtlsContext server = Dtls.provider(provider).newContext(DtlsConfig.builder()
                        .protocolVersions(ProtocolVersion.DTLS_1_2).credentials(TckPki.get().ecServer())
                        .trustedCertificates(TckPki.get().caCertificate()).peerVerification(PeerVerification.REQUIRED)
                        .build());
                try (server) {
                    System.out.printf("| %s: a server session created and closed, unused | %.1f |%n", provider,
                            sessionCreated(server, n * 5));
                    if (server instanceof BackendCookies cookies) {
                        System.out.printf("| %s: the backend's own cookie for a ClientHello (BackendCookies) | %.1f |%n",
                                provider, backendCookie(cookies, clients, n));
                    }
                    System.out.printf("| %s: server side of a full handshake in memory | %s |%n", provider,
                            handshakes(null, server, n));
                    System.out.printf("| %s: server side of a resumed handshake in memory | %s |%n", provider,
                            handshakes(clients, server, n));
                }
            }
        }
    }

    /** µs of thread CPU per cookie made and checked. */
    private static double cookie(int n) {
        CookieAuthority authority = CookieAuthority.hmacSha256();
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
        byte[] parameters = new byte[120]; // random, session id, suites, compression: about what a ClientHello binds
        new SplittableRandom(1).nextBytes(parameters);
        int failed = 0;
        long cpu = 0;
        for (int round = 0; round < 2; round++) {
            int count = round == 0 ? n / 2 : n;
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                byte[] c = authority.generate(client, ByteBuffer.wrap(parameters));
                failed += authority.verify(client, ByteBuffer.wrap(parameters), c) ? 0 : 1;
            }
            cpu = THREADS.getCurrentThreadCpuTime() - t0;
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " cookies did not verify");
        }
        return cpu / 1e3 / n;
    }

    /** µs of thread CPU per 200-byte datagram sent, and per one received, on loopback. */
    private static double[] socket(int n) throws Exception {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress to = (InetSocketAddress) b.getLocalAddress();
            ByteBuffer out = ByteBuffer.allocateDirect(200);
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            double[] result = new double[2];
            for (int round = 0; round < 2; round++) {
                int count = round == 0 ? n / 2 : n;
                long send = 0;
                long receive = 0;
                for (int i = 0; i < count; i++) {
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    a.send(out.clear(), to);
                    long t1 = THREADS.getCurrentThreadCpuTime();
                    b.receive(in.clear());
                    long t2 = THREADS.getCurrentThreadCpuTime();
                    send += t1 - t0;
                    receive += t2 - t1;
                }
                result[0] = send / 1e3 / count;
                result[1] = receive / 1e3 / count;
            }
            return result;
        }
    }

    /**
     * µs of thread CPU per client chain turned into Java certificates from its encodings, with
     * {@link DecodedCertificates} or straight through the JDK's {@code CertificateFactory}.
     */
    private static double chain(int n, boolean decoded) throws Exception {
        List<byte[]> encoded = new ArrayList<>();
        for (X509Certificate c : TckPki.get().ecClient().certificateChain()) {
            encoded.add(c.getEncoded());
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        long cpu = 0;
        int parsed = 0;
        for (int round = 0; round < 2; round++) {
            int count = round == 0 ? n / 2 : n;
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                for (byte[] der : encoded) {
                    parsed += (decoded ? DecodedCertificates.decode(der)
                            : factory.generateCertificate(new ByteArrayInputStream(der))) != null ? 1 : 0;
                }
            }
            cpu = THREADS.getCurrentThreadCpuTime() - t0;
        }
        if (parsed == 0) {
            throw new IllegalStateException("nothing parsed");
        }
        return cpu / 1e3 / n;
    }

    /** µs of thread CPU per backend cookie made for the first ClientHello of a dtls4j OpenSSL client. */
    private static double backendCookie(BackendCookies cookies, DtlsContext clients, int n) {
        List<byte[]> first = new ArrayList<>();
        DtlsSession client = clients.newClientSession(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002),
                new DtlsSessionListener() {
                    @Override
                    public void onDatagram(ByteBuffer datagram) {
                        byte[] b = new byte[datagram.remaining()];
                        datagram.get(b);
                        first.add(b);
                    }

                    @Override
                    public void onRecord(ByteBuffer record) {
                    }
                });
        client.beginHandshake();
        client.close();
        byte[] hello = first.get(0);
        long cpu = 0;
        for (int round = 0; round < 2; round++) {
            int count = round == 0 ? n / 2 : n;
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                if (cookies.cookieFor(ByteBuffer.wrap(hello)).isEmpty()) {
                    throw new IllegalStateException("the backend made no cookie for the client's ClientHello");
                }
            }
            cpu = THREADS.getCurrentThreadCpuTime() - t0;
        }
        return cpu / 1e3 / n;
    }

    /** µs of thread CPU per server session created and closed without a datagram. */
    private static double sessionCreated(DtlsContext server, int n) {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
        DtlsSessionListener ignore = new DtlsSessionListener() {
            @Override
            public void onDatagram(ByteBuffer datagram) {
            }

            @Override
            public void onRecord(ByteBuffer record) {
            }
        };
        long cpu = 0;
        for (int round = 0; round < 2; round++) {
            int count = round == 0 ? n / 2 : n;
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                DtlsSession s = server.newServerSession(peer, ignore);
                s.close();
            }
            cpu = THREADS.getCurrentThreadCpuTime() - t0;
        }
        return cpu / 1e3 / n;
    }

    /**
     * µs of CPU per handshake inside the server session's calls, plus BouncyCastle's handshake
     * threads; full handshakes with a new client context each when {@code resuming} is null,
     * else resumed ones from that one client context.
     */
    private static String handshakes(DtlsContext resuming, DtlsContext server, int n) {
        try {
            return String.format("%.1f", handshakeCpu(resuming, server, n));
        } catch (Exception e) {
            return "not measured: " + e.getMessage();
        }
    }

    private static double handshakeCpu(DtlsContext resuming, DtlsContext server, int n) throws Exception {
        InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50001);
        long nanos = 0;
        for (int round = 0; round < 2; round++) {
            int count = round == 0 ? n / 2 : n;
            nanos = 0;
            Map<String, Long> threads0 = ThreadCpu.snapshot();
            for (int i = 0; i < count; i++) {
                DtlsContext client = resuming != null ? resuming : Dtls.provider("openssl").newContext(
                        DtlsConfig.builder().protocolVersions(ProtocolVersion.DTLS_1_2).credentials(TckPki.get().ecClient())
                                .trustedCertificates(TckPki.get().caCertificate()).build());
                try (MemoryPair pair = new MemoryPair(client, server, serverAddress)) {
                    pair.handshake();
                    if (resuming != null && round == 1 && i == count - 1 && !pair.resumed()) {
                        throw new IllegalStateException("the last handshake of the resumed run did not resume");
                    }
                    nanos += pair.serverCallNanos;
                } finally {
                    if (resuming == null) {
                        client.close();
                    }
                }
            }
            // the kernel keeps 15 characters of a thread's name; the pool's threads live 5 s after their last task
            String bc = BC_THREADS.substring(0, 15);
            nanos += ThreadCpu.minus(ThreadCpu.snapshot(), threads0).entrySet().stream()
                    .filter(e -> e.getKey().startsWith(bc)).mapToLong(Map.Entry::getValue).sum();
        }
        return nanos / 1e3 / n;
    }
}
