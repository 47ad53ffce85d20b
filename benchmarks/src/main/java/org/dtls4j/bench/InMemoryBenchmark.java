package org.dtls4j.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protocol alone, per provider, in memory on one thread: full ECDSA P-256 handshakes
 * per second, and 1200-byte records per second (protect on one side, unprotect on the other).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.openjdk.jmh.Main InMemoryBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InMemoryBenchmark {

    @Param({"jsse", "bouncycastle", "openssl"})
    public String provider;

    private DtlsContext clientContext;
    private DtlsContext serverContext;
    private MemoryPair established;
    private final ByteBuffer record = ByteBuffer.allocate(1200);

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        clientContext = Dtls.provider(provider).newContext(MemoryPair.clientConfig());
        serverContext = Dtls.provider(provider).newContext(MemoryPair.serverConfig());
        established = new MemoryPair(clientContext, serverContext).handshake();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        established.close();
        clientContext.close();
        serverContext.close();
    }

    @Benchmark
    public void handshake() throws InterruptedException {
        try (MemoryPair pair = new MemoryPair(clientContext, serverContext)) {
            pair.handshake();
        }
    }

    @Benchmark
    public int record1200() {
        return established.deliver(record.clear());
    }
}
