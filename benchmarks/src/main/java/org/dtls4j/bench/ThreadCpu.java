package org.dtls4j.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process per group of threads, read from {@code /proc/self/task} (Linux):
 * every native thread of the JVM, the JIT compilers, the garbage collector and JFR's included,
 * which {@link java.lang.management.ThreadMXBean} does not list. A group is a thread's name
 * without its trailing number ({@code C2 CompilerThre}, {@code GC Thread#}, {@code dtls4j-io-}),
 * as the kernel keeps it (15 characters). Threads that ended before a snapshot are not in it:
 * compare two snapshots of a process whose threads live on. The resolution is the kernel's
 * clock tick (10 ms).
 *
 * <p>Thread-safe: stateless.
 */
final class ThreadCpu {

    /** The kernel's clock ticks per second in {@code /proc/<pid>/task/<tid>/stat} ({@code USER_HZ}, 100 on Linux). */
    private static final long TICK_NANOS = 10_000_000L;

    private ThreadCpu() {
    }

    /** {@return CPU nanoseconds so far per group of this process's live threads, empty where there is no {@code /proc}} */
    static Map<String, Long> snapshot() {
        Map<String, Long> groups = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // pid (comm) state ...: the name may hold spaces and parentheses, so split after the last ')'
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    groups.merge(group(stat.substring(open + 1, close)), ticks * TICK_NANOS, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while we read it
                }
            }
        } catch (IOException noProc) {
            return Map.of();
        }
        return groups;
    }

    /** A thread's name without its trailing number. */
    static String group(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        return end == 0 ? name : name.substring(0, end);
    }

    /** {@return {@code snapshot} on one line: {@code group=nanos} separated by tabs} */
    static String format(Map<String, Long> snapshot) {
        StringBuilder sb = new StringBuilder();
        snapshot.forEach((g, n) -> sb.append(sb.length() == 0 ? "" : "\t").append(g).append('=').append(n));
        return sb.toString();
    }

    /** {@return the snapshot that {@link #format} wrote} */
    static Map<String, Long> parse(String line) {
        Map<String, Long> groups = new TreeMap<>();
        for (String entry : line.split("\t")) {
            int eq = entry.lastIndexOf('=');
            if (eq > 0) {
                groups.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
            }
        }
        return groups;
    }

    /** {@return per group, {@code after} less {@code before}; groups with no CPU between them left out} */
    static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((g, n) -> {
            long delta = n - before.getOrDefault(g, 0L);
            if (delta > 0) {
                d.put(g, delta);
            }
        });
        return d;
    }
}
