package org.dtls4j.tck;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a process holds that a leak grows: live threads, open file descriptors, heap in use
 * after a full collection, and resident set size (which native memory, OpenSSL's and
 * wolfSSL's, shows in). Linux: descriptors and RSS come from {@code /proc/self}; elsewhere they
 * read -1.
 *
 * <p>Immutable and thread-safe. JUnit-free, for the {@code dtls4j fuzz} command and the
 * benchmarks' soak as much as for tests.
 *
 * @param threads live threads
 * @param fileDescriptors open file descriptors, -1 where unknown
 * @param heapBytes heap in use after {@link System#gc()} (three times)
 * @param rssBytes resident set size, -1 where unknown
 * @since 0.1
 */
public record ProcessResources(int threads, long fileDescriptors, long heapBytes, long rssBytes) {

    /** {@return this process's resources now, after a full collection} */
    public static ProcessResources now() {
        return new ProcessResources(ManagementFactory.getThreadMXBean().getThreadCount(), openFileDescriptors(),
                heapAfterGc(), rss());
    }

    /** {@return the heap in use after three full collections, in bytes} */
    public static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@return this process's resident set size from {@code /proc/self/status}, in bytes; -1 where there is none} */
    public static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** {@return this process's open file descriptors, from {@code /proc/self/fd}; -1 where there is none} */
    public static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@return one line: threads, descriptors, heap MiB and RSS MiB} */
    @Override
    public String toString() {
        return String.format("threads %d, fds %d, heap %.1f MiB, rss %.1f MiB", threads, fileDescriptors,
                heapBytes / 1048576.0, rssBytes / 1048576.0);
    }
}
