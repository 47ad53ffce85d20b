package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dtls4j command: bad input is one clear line on standard error and a non-zero exit;
 * the main job (interop) passes on this machine.
 */
class MainTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void anUnknownProviderIsOneLineListingTheKnownOnes() {
        Run r = run("server", "--provider", "nope", "--port", "0");
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.startsWith("dtls4j: no DTLS provider named 'nope'"), r.err);
        for (DtlsProvider p : Dtls.providers()) {
            assertTrue(r.err.contains(p.name()), "the message lists '" + p.name() + "': " + r.err);
        }
    }

    @Test
    void aMissingFileNamesTheOptionAndThePath() {
        Run r = run("server", "--port", "0", "--cert", dir.resolve("missing.pem").toString(),
                "--key", dir.resolve("missing.key").toString());
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("--cert") && r.err.contains("missing.pem"), r.err);
    }

    @Test
    void aFileThatIsNotPemSaysSo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        Run r = run("server", "--port", "0", "--cert", bad.toString(), "--key", bad.toString());
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("is not PEM"), r.err);
    }

    @Test
    void aPortInUseIsReported() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Run r = run("server", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.exit, r.err);
            assertTrue(r.err.contains("is the port in use?"), r.err);
        }
    }

    @Test
    void aBadPskIsExplained() {
        Run r = run("client", "--psk", "nocolon", "127.0.0.1:9");
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("--psk takes IDENTITY:HEX"), r.err);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"providers", "interop", "server", "client", "bench", "keys"}) {
            Run r = run(command, "--help");
            assertEquals(0, r.exit, command);
            assertTrue(r.out.contains("Usage: dtls4j " + command), command + ": " + r.out);
        }
    }

    @Test
    void keysWritesAKeyFileOnceThatTheServerReads() throws IOException {
        Path keys = dir.resolve("keys");
        Run made = run("keys", "--out", keys.toString());
        assertEquals(0, made.exit, made.err);
        assertTrue(made.out.contains("--keys " + keys), made.out);
        assertTrue(org.dtls4j.SharedKeys.read(keys).derive("x", 1).length == 32, "the file reads back");

        Run again = run("keys", "--out", keys.toString());
        assertEquals(1, again.exit, again.err);
        assertTrue(again.err.contains("exists already"), again.err);
    }

    @Test
    void aMissingKeyFileNamesTheFix() {
        Run r = run("server", "--port", "0", "--keys", dir.resolve("nope").toString());
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("cannot read the shared key file") && r.err.contains("dtls4j keys --out"), r.err);
    }

    @Test
    void zeroIoThreadsIsRefused() {
        Run r = run("server", "--port", "0", "--io-threads", "0");
        assertEquals(1, r.exit, r.err);
        assertTrue(r.err.contains("--io-threads must be at least 1"), r.err);
    }

    @Test
    void theNodeAndReconnectOptionsParse() {
        ServerCommand server = new ServerCommand();
        new picocli.CommandLine(server).parseArgs("--io-threads", "2", "--keys", "k.txt", "--stats-interval", "5",
                "--key-rotation", "600");
        assertEquals(2, server.node.ioThreads);
        assertEquals(Path.of("k.txt"), server.node.keys);
        assertEquals(5, server.node.statsSeconds);
        assertEquals(600, server.node.rotationSeconds);
        assertEquals(2, server.node.transport().ioThreads());

        ClientCommand client = new ClientCommand();
        new picocli.CommandLine(client).parseArgs("--reconnects", "3", "127.0.0.1:4433");
        assertEquals(3, client.reconnects);
    }

    @Test
    void providersListsEveryProviderWithItsAvailability() {
        Run r = run("providers");
        assertEquals(0, r.exit, r.err);
        assertFalse(Dtls.providers().isEmpty(), "the command's class path has providers");
        for (DtlsProvider p : Dtls.providers()) {
            String availability = p.availability().isAvailable() ? "available" : "unavailable";
            assertTrue(r.out.lines().anyMatch(l -> l.startsWith(p.name()) && l.contains(availability)),
                    "a line for '" + p.name() + "' saying " + availability + ":\n" + r.out);
        }
    }

    @Test
    void interopPassesEveryPairAndEveryInstalledExternalPeer() {
        Run r = run("interop");
        assertEquals(0, r.exit, r.out + r.err);
        assertTrue(r.out.lines().anyMatch(l -> l.matches("(\\d+) of \\1 pairs passed.*")), r.out);
        assertTrue(r.out.contains("| pass"), r.out);
        assertFalse(r.out.lines().anyMatch(l -> l.matches(".*\\| pass [0-9]+ ms (?!DTLSv1\\.[23] ).*")),
                "every cell shows the version negotiated:\n" + r.out);
        for (DtlsProvider p : Dtls.providers()) {
            boolean listed = p.availability().isAvailable()
                    ? r.out.contains("| " + p.name() + " |")
                    : r.out.contains(p.name() + ": unavailable, left out: " + p.availability().reason().orElse(""));
            assertTrue(listed, "'" + p.name() + "' is in the matrix, or listed as unavailable with its reason:\n" + r.out);
        }
        assertTrue(r.out.contains("| provider | openssl s_client -> server | client -> openssl s_server"), r.out);
        assertTrue(r.out.contains("external peer checks passed, 0 failed"), r.out);

        Run without = run("interop", "--no-peers");
        assertEquals(0, without.exit, without.out + without.err);
        assertTrue(!without.out.contains("external peer"), "--no-peers runs no external peer: " + without.out);
    }

    @Test
    void fuzzRunsEachRoundWithTheNextSeedAndReportsItsRow() {
        Run r = run("fuzz", "--provider", "openssl", "--datagrams", "400", "--seed", "7", "--rounds", "2");
        assertEquals(0, r.exit, r.out + r.err);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("| openssl | 7 |") && l.endsWith("| yes | pass |")), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("| openssl | 8 |") && l.endsWith("| yes | pass |")), r.out);
    }

    @Test
    void zeroFuzzRoundsAreRefused() {
        Run r = run("fuzz", "--rounds", "0");
        assertNotEquals(0, r.exit);
        assertTrue(r.err.contains("--rounds must be between 1 and 1000"), r.err);
    }
}
