package org.dtls4j.tck.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.dtls4j.Credentials;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.fuzz.SessionFuzzer.Pair;
import org.dtls4j.tck.fuzz.SessionFuzzer.Variant;

/**
 * Makes the seed corpora of the fuzz tests from real in-memory handshakes, as files in
 * Jazzer's resource layout ({@code <package>/<TestClass>Inputs/<method>/<name>}): for a
 * provider's {@link SessionFuzzTargets} class, in the input format of {@link SessionFuzzer}
 * (live datagrams to mutate, and stale ones of an earlier session to replay), and, from the
 * same handshakes, for the api's parser fuzz tests (ClientHellos, fragmented ClientHellos,
 * record headers) and its PEM fuzz test; {@code FuzzSeedsTest} in the interop module writes them
 * into the source tree. Names are stable, so regenerating replaces the seeds
 * instead of adding to them. docs/FUZZING.md says how to run it.
 *
 * <p>Not thread-safe: one generation at a time.
 *
 * @since 0.1
 */
public final class FuzzSeeds {

    private static final int MUTATE = 1;
    private static final int CUT = 2;

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    /** The seed files made so far, by path relative to a test-resources root. */
    public Map<String, byte[]> files() {
        return files;
    }

    /**
     * Adds the session seeds of {@code provider} for the fuzz test class named {@code testClass}
     * (fully qualified, e.g. {@code org.dtls4j.jsse.JsseSessionFuzzTest}).
     */
    public FuzzSeeds session(DtlsProvider provider, String testClass) {
        String dir = testClass.replace('.', '/') + "Inputs/";
        List<Variant> variants = SessionFuzzer.of(provider).variants();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            String tag = tag(v);
            Pair p = SessionFuzzer.start(v);
            SessionFuzzer.pumpHandshake(p, v);
            List<byte[]> c = p.clientEvents().sent();
            List<byte[]> s = p.serverEvents().sent();
            int lastHello = lastClientHello(c);
            put(dir + "beforeHandshake/" + tag + "-live-client-hello", seed(i, MUTATE, new byte[0]));
            put(dir + "beforeHandshake/" + tag + "-live-client-hello-cut", seed(i, MUTATE | CUT, new byte[40]));
            for (int k = 0; k <= lastHello; k++) {
                put(dir + "beforeHandshake/" + tag + "-client-hello-" + k, seed(i, 0, c.get(k)));
            }
            put(dir + "beforeHandshake/" + tag + "-server-first-flight", seed(i, 0, s.get(0)));
            for (int k = lastHello + 1; k < c.size(); k++) {
                int which = k - lastHello - 1;
                put(dir + "midHandshake/" + tag + "-live-flight-" + which, seed(i, (which << 2) | MUTATE, new byte[0]));
                put(dir + "midHandshake/" + tag + "-live-flight-" + which + "-length",
                        seed(i, (which << 2) | MUTATE, lengthFlip(c.get(k))));
                put(dir + "midHandshake/" + tag + "-stale-flight-" + which, seed(i, 0, c.get(k)));
            }
            if (lastHello >= 0) {
                put(dir + "midHandshake/" + tag + "-client-hello-again", seed(i, 0, c.get(lastHello)));
            }
            int before = p.clientEvents().sent().size();
            p.client().send(ByteBuffer.wrap("seed record".getBytes(StandardCharsets.US_ASCII)));
            List<byte[]> sentNow = p.clientEvents().sent();
            byte[] record = sentNow.get(sentNow.size() - 1);
            put(dir + "established/" + tag + "-live-record", seed(i, MUTATE, new byte[0]));
            put(dir + "established/" + tag + "-live-record-tag", seed(i, MUTATE, lastByteFlip(record)));
            put(dir + "established/" + tag + "-live-record-header", seed(i, MUTATE | CUT, new byte[13]));
            put(dir + "established/" + tag + "-live-record-length", seed(i, MUTATE, lengthFlip(record)));
            put(dir + "established/" + tag + "-stale-record", seed(i, 0, record));
            for (int k = lastHello + 1; k < before; k++) {
                put(dir + "established/" + tag + "-stale-flight-" + (k - lastHello - 1), seed(i, 0, c.get(k)));
            }
            p.client().close();
            List<byte[]> closing = p.clientEvents().sent();
            if (closing.size() > sentNow.size()) {
                put(dir + "established/" + tag + "-stale-close-notify", seed(i, 0, closing.get(closing.size() - 1)));
            }
            p.close();
            parserSeeds(provider.name() + "-" + tag, v, c, s);
        }
        fragmentedHellos(provider, variants);
        return this;
    }

    /** Adds the PEM seeds: the forms {@code openssl} writes, of the TCK's credentials. */
    public FuzzSeeds pem() {
        String dir = "org/dtls4j/PemFuzzTestInputs/";
        TckPki pki = TckPki.get();
        String chain = certificates(pki.ecServer()) + pem("CERTIFICATE", der(pki.caCertificate()));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ec-pkcs8", pem("PRIVATE KEY", pki.ecServer().privateKey().getEncoded()));
        keys.put("ec-sec1", pem("EC PRIVATE KEY", inner(pki.ecServer().privateKey())));
        keys.put("rsa-pkcs1", pem("RSA PRIVATE KEY", inner(pki.rsaServer().privateKey())));
        keys.put("ed25519-pkcs8", pem("PRIVATE KEY", pki.ed25519Server().privateKey().getEncoded()));
        put(dir + "certificates/chain", chain.getBytes(StandardCharsets.US_ASCII));
        put(dir + "certificates/rsa", certificates(pki.rsaServer()).getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, String> k : keys.entrySet()) {
            put(dir + "privateKey/" + k.getKey(), k.getValue().getBytes(StandardCharsets.US_ASCII));
        }
        put(dir + "credentialsFromPem/ec", (chain + "\0" + keys.get("ec-sec1")).getBytes(StandardCharsets.US_ASCII));
        put(dir + "credentialsFromPem/rsa", (certificates(pki.rsaServer()) + "\0" + keys.get("rsa-pkcs1"))
                .getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private void parserSeeds(String tag, Variant v, List<byte[]> client, List<byte[]> server) {
        String hellos = "org/dtls4j/ClientHelloFuzzTestInputs/clientHelloAndCookie/";
        for (int k = 0; k <= lastClientHello(client); k++) {
            put(hellos + tag + "-" + k, client.get(k));
        }
        String method = v.dtls13() ? "unifiedHeaders" : v.cidLength() > 0 ? "connectionIdRecords" : "dtls12Records";
        String records = "org/dtls4j/spi/RecordCursorFuzzTestInputs/" + method + "/";
        for (int k = 0; k < Math.min(client.size(), 6); k++) {
            put(records + tag + "-client-" + k, seed(v.cidLength(), client.get(k)));
        }
        for (int k = 0; k < Math.min(server.size(), 6); k++) {
            put(records + tag + "-server-" + k, seed(v.cidLength(), server.get(k)));
        }
    }

    /** First flights of clients whose datagrams are too small for a whole ClientHello. */
    private void fragmentedHellos(DtlsProvider provider, List<Variant> variants) {
        String dir = "org/dtls4j/ClientHelloFuzzTestInputs/clientHelloReassembly/";
        for (Variant v : variants) {
            DtlsConfig small = TckPki.get().clientConfig().protocolVersions(v.clientConfig().protocolVersions())
                    .maxDatagramSize(256).build();
            try (DtlsContext context = provider.newContext(small)) {
                RecordingListener events = new RecordingListener();
                DtlsSession client = context.newClientSession(SessionPair.SERVER_ADDRESS, events);
                client.beginHandshake();
                List<byte[]> flight = events.sent();
                client.close();
                ByteBuffer joined = ByteBuffer.allocate(flight.stream().mapToInt(d -> d.length + 2).sum());
                for (byte[] d : flight) {
                    joined.putShort((short) d.length).put(d);
                }
                put(dir + provider.name() + "-" + tag(v), joined.array());
            }
        }
    }

    /** The api's parser targets, in the order {@code ParserFuzzTest#anyParser} counts them. */
    private static final List<String> PARSER_TARGETS = List.of("clientHelloAndCookie", "clientHelloReassembly",
            "dtls12Records", "connectionIdRecords", "unifiedHeaders", "certificates", "privateKey", "credentialsFromPem");
    /** A provider's session targets, in the order {@link SessionFuzzTargets#anyState} counts them. */
    private static final List<String> SESSION_TARGETS = List.of("beforeHandshake", "midHandshake", "established");

    /** Adds a seed, and its copy for the target that fuzzes its class's targets in one run. */
    private void put(String path, byte[] bytes) {
        files.put(path, bytes);
        int name = path.lastIndexOf('/');
        int method = path.lastIndexOf('/', name - 1);
        String target = path.substring(method + 1, name);
        String file = target + "-" + path.substring(name + 1);
        if (SESSION_TARGETS.contains(target)) {
            files.put(path.substring(0, method) + "/anyState/" + file, seed(SESSION_TARGETS.indexOf(target), bytes));
        } else if (PARSER_TARGETS.contains(target)) {
            files.put("org/dtls4j/ParserFuzzTestInputs/anyParser/" + file, seed(PARSER_TARGETS.indexOf(target), bytes));
        }
    }

    private static String tag(Variant v) {
        return (v.dtls13() ? "dtls13" : "dtls12") + (v.cidLength() > 0 ? "-cid" : "");
    }

    private static int lastClientHello(List<byte[]> datagrams) {
        int last = -1;
        for (int k = 0; k < datagrams.size(); k++) {
            if (DtlsRecords.plaintextHandshakeType(ByteBuffer.wrap(datagrams.get(k)), 0) == DtlsRecords.CLIENT_HELLO) {
                last = k;
            }
        }
        return last;
    }

    private static byte[] seed(int first, byte[] rest) {
        byte[] out = new byte[1 + rest.length];
        out[0] = (byte) first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static byte[] seed(int variant, int mode, byte[] rest) {
        return seed(variant, seed(mode, rest));
    }

    /** A mask that changes the low byte of a 13-byte header's length field. */
    private static byte[] lengthFlip(byte[] datagram) {
        byte[] mask = new byte[Math.min(datagram.length, 13)];
        mask[mask.length - 1] = 1;
        return mask;
    }

    /** A mask that changes the datagram's last byte (an authentication tag's). */
    private static byte[] lastByteFlip(byte[] datagram) {
        byte[] mask = new byte[datagram.length];
        mask[mask.length - 1] = (byte) 0x80;
        return mask;
    }

    private static String certificates(Credentials credentials) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : credentials.certificateChain()) {
            out.append(pem("CERTIFICATE", der(c)));
        }
        return out.toString();
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SEC 1 or PKCS#1 key inside a PKCS#8 one. */
    private static byte[] inner(PrivateKey key) {
        try {
            return PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The seeds of every fuzz test for these providers, by path under a test-resources root. */
    public static FuzzSeeds of(List<DtlsProvider> providers, Map<String, String> testClassByProvider) {
        FuzzSeeds seeds = new FuzzSeeds().pem();
        for (DtlsProvider p : providers) {
            String testClass = testClassByProvider.get(p.name());
            if (testClass != null && p.availability().isAvailable()) {
                seeds.session(p, testClass);
            }
        }
        return seeds;
    }

    /** Paths of the seeds made so far that start with {@code prefix}. */
    public List<String> pathsUnder(String prefix) {
        List<String> out = new ArrayList<>();
        for (String path : files.keySet()) {
            if (path.startsWith(prefix)) {
                out.add(path);
            }
        }
        return out;
    }
}
