package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dtls4j.Capability;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.PeerVerification;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.net.NetworkConditions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every provider's client against every provider's server (N x N, all found by
 * ServiceLoader, so a new provider joins without code changes), each pair at every protocol
 * version both declare, through the same cases: ECDSA over a lossy in-memory link, RSA,
 * mutual authentication, ECDSA and mutual over UDP, and PSK, exporter, resumption, SRTP and
 * raw public keys where both sides declare them; every cell checks and shows the version
 * negotiated. Two more cases negotiate versions over UDP through {@code DtlsServer}: one side
 * offers every version it declares, the other only the row's, and they must agree on the
 * row's. Data flows both ways and each case ends with close_notify. The matrix is printed and
 * written to {@code target/interop-matrix.md}.
 */
class InteropMatrixTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PreSharedKey PSK = PreSharedKey.ofHex("interop", "000102030405060708090a0b0c0d0e0f");
    /** pair -> case -> result cell. */
    private static final Map<String, Map<String, String>> MATRIX = new ConcurrentHashMap<>();

    enum Case {
        ECDSA_LOSSY(null), RSA(null), MUTUAL(null), UDP_ECDSA(null), UDP_MUTUAL(null),
        PSK(Capability.PSK), EXPORTER(Capability.KEYING_MATERIAL_EXPORTER), RESUMPTION(Capability.SESSION_RESUMPTION),
        SRTP(Capability.SRTP), RAW_KEYS(Capability.RAW_PUBLIC_KEY),
        /** The client offers every version it declares; the server accepts the row's only. */
        CLIENT_OFFERS_ALL(null),
        /** The server accepts every version it declares; the client offers the row's only. */
        SERVER_OFFERS_ALL(null);

        final Capability needs;

        Case(Capability needs) {
            this.needs = needs;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyClientAgainstEveryServer() {
        List<DtlsProvider> providers = Dtls.providers();
        List<DynamicTest> tests = new ArrayList<>();
        for (DtlsProvider client : providers) {
            for (DtlsProvider server : providers) {
                for (ProtocolVersion v : versions(client, server)) {
                    for (Case c : Case.values()) {
                        String pair = client.name() + " -> " + server.name() + ", " + v.standardName();
                        tests.add(DynamicTest.dynamicTest(pair + ": " + c, () -> run(client, server, v, c, pair)));
                    }
                }
            }
        }
        return tests.stream();
    }

    /**
     * The versions the matrix runs a pair in: those both declare, DTLS 1.0 aside; DTLS 1.2
     * alone when a side is unavailable, so that its row still shows why.
     */
    private static List<ProtocolVersion> versions(DtlsProvider client, DtlsProvider server) {
        Set<ProtocolVersion> common = EnumSet.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);
        common.retainAll(Capabilities.protocolVersions(client));
        common.retainAll(Capabilities.protocolVersions(server));
        return common.isEmpty() ? List.of(ProtocolVersion.DTLS_1_2) : List.copyOf(common);
    }

    /** The versions among 1.2 and 1.3 that {@code p} declares. */
    private static Set<ProtocolVersion> declared(DtlsProvider p) {
        Set<ProtocolVersion> v = EnumSet.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3);
        v.retainAll(Capabilities.protocolVersions(p));
        return v;
    }

    private static void run(DtlsProvider client, DtlsProvider server, ProtocolVersion version, Case c, String pair)
            throws Exception {
        for (DtlsProvider p : List.of(client, server)) {
            if (!p.availability().isAvailable()) {
                record(pair, c, "n/a");
                Assumptions.abort("provider '" + p.name() + "' is unavailable: " + p.availability().reason().orElse(""));
            }
            if (c.needs != null && !p.capabilities().contains(c.needs)) {
                record(pair, c, "—");
                Assumptions.abort("provider '" + p.name() + "' does not declare " + c.needs);
            }
        }
        if (c == Case.PSK && version == ProtocolVersion.DTLS_1_3) {
            record(pair, c, "—");
            Assumptions.abort("PSK is a DTLS 1.2 capability: the TCK has no contract for external PSKs in DTLS 1.3 yet");
        }
        DtlsProvider offering = c == Case.CLIENT_OFFERS_ALL ? client : c == Case.SERVER_OFFERS_ALL ? server : null;
        if (offering != null && declared(offering).equals(Set.of(version))) {
            record(pair, c, "—");
            Assumptions.abort("provider '" + offering.name() + "' declares " + version.standardName() + " only");
        }
        long start = System.nanoTime();
        try {
            Versions at = new Versions(version);
            String detail = switch (c) {
                case ECDSA_LOSSY -> memory(client, server, at.client().build(), at.server(TckPki.get().ecServer()).build(),
                        NetworkConditions.CLEAN.withLoss(0.1).withReordering(0.1));
                case RSA -> memory(client, server, at.client().build(), at.server(TckPki.get().rsaServer()).build(),
                        NetworkConditions.CLEAN);
                case MUTUAL -> memory(client, server, at.client().credentials(TckPki.get().ecClient()).build(),
                        at.server(TckPki.get().ecServer()).peerVerification(PeerVerification.REQUIRED).build(),
                        NetworkConditions.CLEAN);
                case UDP_ECDSA -> udp(client, server, at.client().build(), at.server(TckPki.get().ecServer()).build());
                case UDP_MUTUAL -> udp(client, server, at.client().credentials(TckPki.get().ecClient()).build(),
                        at.server(TckPki.get().ecServer()).peerVerification(PeerVerification.REQUIRED).build());
                case PSK -> memory(client, server, at.fast().preSharedKey(PSK).build(),
                        at.fast().pskKeyStore(id -> Arrays.equals(id, PSK.identity()) ? Optional.of(PSK.key()) : Optional.empty()).build(),
                        NetworkConditions.CLEAN);
                case EXPORTER -> exporter(client, server, at);
                case RESUMPTION -> resumption(client, server, at);
                case SRTP -> srtp(client, server, at);
                case CLIENT_OFFERS_ALL -> udp(client, server, at.client().protocolVersions(declared(client)).build(),
                        at.server(TckPki.get().ecServer()).build());
                case SERVER_OFFERS_ALL -> udp(client, server, at.client().build(),
                        at.server(TckPki.get().ecServer()).protocolVersions(declared(server)).build());
                case RAW_KEYS -> memory(client, server,
                        at.fast().credentials(TckPki.get().rawClient()).trustedRawPublicKeys(TckPki.get().rawServer().publicKey())
                                .build(),
                        at.fast().credentials(TckPki.get().rawServer()).trustedRawPublicKeys(TckPki.get().rawClient().publicKey())
                                .peerVerification(PeerVerification.REQUIRED).build(),
                        NetworkConditions.CLEAN) + " raw keys";
            };
            String negotiated = detail.substring(0, detail.indexOf(' '));
            assertEquals(version.standardName(), negotiated, "the version negotiated (" + detail + ")");
            record(pair, c, String.format("pass %.0f ms %s", (System.nanoTime() - start) / 1e6, detail));
        } catch (Throwable t) {
            record(pair, c, "FAIL");
            throw t;
        }
    }

    private static String memory(DtlsProvider client, DtlsProvider server, DtlsConfig cc, DtlsConfig sc,
                                 NetworkConditions conditions) throws Exception {
        try (SessionPair pair = SessionPair.builder(client, server).clientConfig(cc).serverConfig(sc)
                .conditions(conditions).seed(7).build().start()) {
            pair.awaitEstablished(WAIT);
            pair.link().conditions(NetworkConditions.CLEAN);
            pair.client().send(bytes("ping"));
            pair.server().send(bytes("pong"));
            assertArrayEquals(bytes("ping"), pair.server().records().poll(10, TimeUnit.SECONDS), "client -> server");
            assertArrayEquals(bytes("pong"), pair.client().records().poll(10, TimeUnit.SECONDS), "server -> client");
            pair.client().closeSession();
            pair.server().closed().get(10, TimeUnit.SECONDS);
            return suite(pair.client().established().join());
        }
    }

    private static String udp(DtlsProvider client, DtlsProvider server, DtlsConfig cc, DtlsConfig sc) throws Exception {
        try (DtlsContext sctx = server.newContext(sc);
             DtlsContext cctx = client.newContext(cc);
             DtlsServer listener = DtlsServer.bind(sctx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DtlsConnection c = DtlsClient.connect(cctx, listener.localAddress(), WAIT);
            DtlsConnection s = listener.accept(WAIT);
            c.send(ByteBuffer.wrap(bytes("ping")));
            ByteBuffer in = ByteBuffer.allocate(2048);
            assertEquals(4, s.receive(in, WAIT), "client -> server over UDP");
            s.send(ByteBuffer.wrap(bytes("pong")));
            in.clear();
            assertEquals(4, c.receive(in, WAIT), "server -> client over UDP");
            c.close();
            assertEquals(-1, s.receive(ByteBuffer.allocate(16), WAIT), "close_notify over UDP");
            return suite(c.info());
        }
    }

    private static String exporter(DtlsProvider client, DtlsProvider server, Versions at) throws Exception {
        try (SessionPair pair = SessionPair.builder(client, server).clientConfig(at.client().build())
                .serverConfig(at.server(TckPki.get().ecServer()).build()).build().start()) {
            pair.awaitEstablished(WAIT);
            byte[] c = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXPERIMENTAL-interop", 32));
            byte[] s = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXPERIMENTAL-interop", 32));
            assertArrayEquals(c, s, "both sides export the same keying material");
            return suite(pair.client().established().join()) + ", 32 bytes agree";
        }
    }

    /** DTLS-SRTP: the profile both offer, and the same SRTP keys on both sides where both can export. */
    private static String srtp(DtlsProvider client, DtlsProvider server, Versions at) throws Exception {
        try (SessionPair pair = SessionPair.builder(client, server)
                .clientConfig(at.client().srtpProfiles("SRTP_AEAD_AES_128_GCM", "SRTP_AES128_CM_SHA1_80").build())
                .serverConfig(at.server(TckPki.get().ecServer()).srtpProfiles("SRTP_AES128_CM_SHA1_80").build())
                .build().start()) {
            pair.awaitEstablished(WAIT);
            String profile = pair.client().established().join().srtpProfile().orElse("(none)");
            assertEquals("SRTP_AES128_CM_SHA1_80", profile, "the client reports the common profile");
            assertEquals(profile, pair.server().established().join().srtpProfile().orElse("(none)"), "so does the server");
            boolean export = client.capabilities().contains(Capability.KEYING_MATERIAL_EXPORTER)
                    && server.capabilities().contains(Capability.KEYING_MATERIAL_EXPORTER);
            if (export) {
                byte[] c = pair.client().onLoop(() -> pair.client().session().exportKeyingMaterial("EXTRACTOR-dtls_srtp", 60));
                byte[] s = pair.server().onLoop(() -> pair.server().session().exportKeyingMaterial("EXTRACTOR-dtls_srtp", 60));
                assertArrayEquals(c, s, "both sides derive the same SRTP keys");
            }
            return pair.client().established().join().protocolVersion().standardName() + " "
                    + profile.replace("SRTP_", "") + (export ? ", keys agree" : "");
        }
    }

    private static String resumption(DtlsProvider client, DtlsProvider server, Versions at) throws Exception {
        try (DtlsContext cctx = client.newContext(at.client().build());
             DtlsContext sctx = server.newContext(at.server(TckPki.get().ecServer()).build())) {
            String negotiated = "";
            for (int round = 0; round < 2; round++) {
                try (SessionPair pair = SessionPair.builder(client, server).contexts(cctx, sctx).build().start()) {
                    pair.awaitEstablished(WAIT);
                    if (round == 1) {
                        assertTrue(pair.client().established().join().resumed(), "the second handshake resumes");
                        assertTrue(pair.server().established().join().resumed(), "the server reports it");
                        negotiated = suite(pair.client().established().join());
                    }
                    pair.client().closeSession();
                    pair.server().closed().get(10, TimeUnit.SECONDS);
                }
            }
            return negotiated + ", resumed";
        }
    }

    /** The configurations of one row: every one names the row's protocol version. */
    private record Versions(ProtocolVersion version) {

        DtlsConfig.Builder fast() {
            return DtlsConfig.builder().protocolVersions(version).retransmission(Duration.ofMillis(50), Duration.ofMillis(800))
                    .handshakeTimeout(WAIT);
        }

        DtlsConfig.Builder client() {
            return fast().trustedCertificates(TckPki.get().caCertificate());
        }

        DtlsConfig.Builder server(org.dtls4j.Credentials credentials) {
            return fast().credentials(credentials).trustedCertificates(TckPki.get().caCertificate());
        }
    }

    /** What a cell shows of a session: the version negotiated, then the suite. */
    private static String suite(DtlsSessionInfo info) {
        return info.protocolVersion().standardName() + " " + info.cipherSuite().replace("TLS_", "").replace("_WITH_", " ");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void record(String pair, Case c, String cell) {
        MATRIX.computeIfAbsent(pair, k -> new ConcurrentHashMap<>()).put(c.name(), cell);
    }

    @AfterAll
    static void writeMatrix() throws IOException {
        StringBuilder md = new StringBuilder("# dtls4j interop matrix\n\nclient -> server, one row per pair and protocol"
                + " version both declare; each cell shows the version negotiated; — means a side does not declare the"
                + " capability (or, in the offers-all columns, offers no other version).\n\n| pair |");
        for (Case c : Case.values()) {
            md.append(' ').append(c.name().toLowerCase().replace('_', ' ')).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(Case.values().length)).append('\n');
        int pass = 0;
        int fail = 0;
        for (Map.Entry<String, Map<String, String>> row : new TreeMap<>(MATRIX).entrySet()) {
            md.append("| ").append(row.getKey()).append(" |");
            for (Case c : Case.values()) {
                String cell = row.getValue().getOrDefault(c.name(), "");
                pass += cell.startsWith("pass") ? 1 : 0;
                fail += cell.equals("FAIL") ? 1 : 0;
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        md.append("\n").append(pass).append(" passed, ").append(fail).append(" failed\n");
        Path out = Path.of("target", "interop-matrix.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.println(md);
    }
}
