package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dtls4j.Dtls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The dtls4j command carries no test framework: its runtime class path holds no JUnit jar,
 * and the command, run in a child JVM, loads no JUnit class even when JUnit is there to
 * be loaded (the JUnit jars go last on that JVM's class path, so a stray reference that
 * would fail with {@code NoClassDefFoundError} in the field, or be swallowed, shows up
 * in the {@code -verbose:class} log instead).
 */
class NoJUnitAtRunTimeTest {

    /** The packages of JUnit and of the libraries only JUnit brings. */
    private static final List<String> TEST_FRAMEWORK = List.of("org.junit.", "org.opentest4j.", "org.apiguardian.");

    @TempDir
    Path dir;

    @Test
    void theRuntimeClassPathHoldsNoJUnitJar() throws IOException {
        List<String> jars = runtimeClassPath().stream()
                .filter(entry -> entry.matches(".*(junit|opentest4j|apiguardian).*")).toList();
        assertTrue(jars.isEmpty(), "the command's runtime class path carries " + jars);
    }

    @Test
    void listingTheProvidersLoadsNoJUnitClass() throws Exception {
        String log = runCommand("providers");
        String first = Dtls.providers().get(0).name();
        assertTrue(log.contains(first), "the providers listing names " + first + ":\n" + tail(log));
        assertNoTestFrameworkClass(log);
    }

    @Test
    void theInteropMatrixLoadsNoJUnitClass() throws Exception {
        String log = runCommand("interop", "--no-peers");
        // it uses the TCK's helpers: the check below looks where JUnit could come in
        assertTrue(loaded(log).anyMatch(c -> c.startsWith("org.dtls4j.tck.SessionPair")),
                "interop ran the TCK's SessionPair:\n" + tail(log));
        assertNoTestFrameworkClass(log);
    }

    /** Runs the command with {@code -verbose:class}; returns its output once it exited 0. */
    private String runCommand(String... args) throws IOException, InterruptedException, URISyntaxException {
        List<String> classPath = new ArrayList<>();
        classPath.add(System.getProperty("dtls4j.cli.classes"));
        classPath.addAll(runtimeClassPath());
        for (Class<?> c : List.of(Test.class, org.junit.platform.commons.JUnitException.class,
                AssertionFailedError.class)) {
            classPath.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", String.join(File.pathSeparator, classPath), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dtls4j " + String.join(" ", args) + " did not exit within 120 s:\n"
                    + tail(Files.readString(out, StandardCharsets.UTF_8)));
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "dtls4j " + String.join(" ", args) + " exit status:\n" + tail(log));
        assertTrue(loaded(log).anyMatch(Main.class.getName()::equals),
                "the -verbose:class log names the classes loaded (Main among them):\n" + tail(log));
        return log;
    }

    private static void assertNoTestFrameworkClass(String log) {
        List<String> junit = loaded(log).filter(c -> TEST_FRAMEWORK.stream().anyMatch(c::startsWith)).toList();
        assertEquals(List.of(), junit, "the command loaded test-framework classes");
        assertFalse(output(log).anyMatch(l -> l.contains("NoClassDefFoundError")), "a class was missing:\n" + tail(log));
    }

    /** The class names of the {@code -verbose:class} lines: "[...][class,load] name source: ...". */
    private static Stream<String> loaded(String log) {
        return log.lines().filter(l -> l.contains("[class,load] "))
                .map(l -> l.substring(l.indexOf("[class,load] ") + "[class,load] ".length()).split(" ", 2)[0]);
    }

    static List<String> runtimeClassPath() throws IOException {
        String file = System.getProperty("dtls4j.cli.runtimeClassPath");
        String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        List<String> entries = Arrays.stream(text.split(File.pathSeparator)).filter(s -> !s.isEmpty()).toList();
        assertFalse(entries.isEmpty(), "no runtime class path in " + file);
        return entries;
    }

    /** What the command printed, without the {@code -verbose:class} lines. */
    private static Stream<String> output(String log) {
        return log.lines().filter(l -> !l.contains("[class,load] "));
    }

    private static String tail(String log) {
        List<String> lines = output(log).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
