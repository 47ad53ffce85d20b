package org.dtls4j.tck.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One run of an external DTLS peer's command ({@code openssl s_server} or {@code s_client},
 * {@code gnutls-cli}, wolfSSL's example client and server) on 127.0.0.1: its output collected line by line, its standard input
 * held open, bounded in time, and ended by its PID on close.
 *
 * <p>Thread-safe: output is collected on a daemon thread of its own.
 *
 * @since 0.1
 */
public final class PeerCommand implements AutoCloseable {

    private final String program;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private PeerCommand(List<String> command, Path directory) throws IOException {
        program = command.get(0);
        process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, program + "-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Whether a command runs here, and if not, why: {@code versionCommand} is one that only
     * prints a version, such as {@code openssl version}.
     *
     * @param versionCommand a command that only prints its version, with its arguments
     * @return empty if the command runs here; otherwise why not, as a skip reason
     */
    public static String unavailableReason(String... versionCommand) {
        String shown = "'" + String.join(" ", versionCommand) + "'";
        try {
            Process p = new ProcessBuilder(versionCommand).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return shown + " did not finish";
            }
            return p.exitValue() == 0 ? null : shown + " failed";
        } catch (IOException e) {
            return "the " + versionCommand[0] + " command is not installed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Starts {@code program} with {@code args} in this process's working directory.
     *
     * @param program the program, looked up on the PATH
     * @param args its arguments
     * @return the running command, whose output is being read
     * @throws IOException if the program cannot be started
     */
    public static PeerCommand start(String program, String... args) throws IOException {
        return startIn(Path.of("").toAbsolutePath(), program, args);
    }

    /**
     * Starts {@code program} with {@code args} in {@code directory}: for a command that reads
     * files relative to where it runs (wolfSSL's examples read {@code certs/}).
     *
     * @param directory the working directory of the command
     * @param program the program, looked up on the PATH
     * @param args its arguments
     * @return the running command, whose output is being read
     * @throws IOException if the program cannot be started
     */
    public static PeerCommand startIn(Path directory, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(List.of(args));
        return new PeerCommand(command, directory);
    }

    /**
     * A UDP port on 127.0.0.1 that was free a moment ago, for a command that must be told its
     * port (another process may take it before the command binds it; rare enough here).
     *
     * @return the port number
     * @throws IOException if no UDP socket can be bound
     */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** {@return the command's exit status, once it has exited (see {@link #awaitExit})} */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Waits for an output line that matches; fails with the whole output if none comes in time.
     *
     * @param line the test a line must pass
     * @param timeout how long to wait
     * @param what what the line shows, for the failure message
     * @return the first line that matched
     * @throws InterruptedException if interrupted while waiting
     */
    public String await(Predicate<String> line, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (line.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(program + " never printed " + what + "; its output:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /**
     * Writes a line to the command's standard input.
     *
     * @param text the line, without its end
     * @throws IOException if the command's input is closed
     */
    public void type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Closes standard input (s_client and gnutls-cli then send close_notify and exit).
     *
     * @throws IOException if closing fails
     */
    public void endInput() throws IOException {
        process.getOutputStream().close();
    }

    /**
     * Waits for the command to exit by itself.
     *
     * @param timeout how long to wait
     * @return whether it exited in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@return everything the command printed so far, its lines joined by newlines} */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(5_000);
    }
}
