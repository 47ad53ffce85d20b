package org.dtls4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsContext;
import org.dtls4j.spi.DtlsProvider;

/**
 * N handshakes in flight at once in memory, per provider: how long they take and the most
 * provider threads ({@code dtls4j-*}) alive meanwhile. The point is the thread count: a
 * provider that keeps a thread per handshake shows N.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.ConcurrentHandshakes [N]</pre>
 */
public final class ConcurrentHandshakes {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf("| provider | concurrent handshakes | completed | seconds | most dtls4j-* threads | JVM threads at peak |%n");
        System.out.printf("|---|---:|---:|---:|---:|---:|%n");
        for (DtlsProvider p : Dtls.providers()) {
            if (!p.availability().isAvailable()) {
                continue;
            }
            try (DtlsContext c = p.newContext(MemoryPair.clientConfig()); DtlsContext s = p.newContext(MemoryPair.serverConfig())) {
                List<MemoryPair> pairs = new ArrayList<>(n);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    MemoryPair pair = new MemoryPair(c, s);
                    pair.server.beginHandshake();
                    pair.client.beginHandshake();
                    pairs.add(pair);
                }
                int maxProviderThreads = 0;
                int maxThreads = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                int done = 0;
                while (done < n && System.nanoTime() - deadline < 0) {
                    done = 0;
                    for (MemoryPair pair : pairs) {
                        pair.step();
                        done += pair.established() ? 1 : 0;
                    }
                    int providerThreads = 0;
                    int all = 0;
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        all++;
                        providerThreads += t.getName().startsWith("dtls4j-") ? 1 : 0;
                    }
                    maxProviderThreads = Math.max(maxProviderThreads, providerThreads);
                    maxThreads = Math.max(maxThreads, all);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                pairs.forEach(MemoryPair::close);
                System.out.printf("| %s | %d | %d | %.1f | %d | %d |%n", p.name(), n, done, seconds, maxProviderThreads, maxThreads);
            }
        }
    }
}
