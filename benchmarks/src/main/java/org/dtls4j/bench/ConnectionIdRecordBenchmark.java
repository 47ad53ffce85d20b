package org.dtls4j.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.ProtocolVersion;
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
 * What connection IDs cost a provider's record path, in memory on one thread: 1200-byte
 * records per second with no CID and with 4-byte CIDs both ways, in one run, for the providers
 * that declare CONNECTION_ID. With CIDs a session also proves, per datagram, whether a record
 * authenticated and was the newest (the listener moves a peer's address on that proof): bctls
 * says so itself; wolfSSL's provider stages a pending peer and reads back the record number.
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.openjdk.jmh.Main ConnectionIdRecordBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectionIdRecordBenchmark {

    @Param({"bouncycastle", "wolfssl"})
    public String provider;

    @Param({"DTLSv1.2", "DTLSv1.3"})
    public String version;

    /** 0 for none. */
    @Param({"0", "4"})
    public int cid;

    private DtlsContext clientContext;
    private DtlsContext serverContext;
    private MemoryPair established;
    private final ByteBuffer record = ByteBuffer.allocate(1200);

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        ProtocolVersion v = ProtocolVersion.DTLS_1_3.standardName().equals(version) ? ProtocolVersion.DTLS_1_3
                : ProtocolVersion.DTLS_1_2;
        if (!org.dtls4j.spi.Capabilities.protocolVersions(Dtls.provider(provider)).contains(v)) {
            throw new IllegalStateException(provider + " does not declare " + version + " (a combination JMH cannot skip:"
                    + " run with -p provider=... -p version=...)");
        }
        clientContext = Dtls.provider(provider).newContext(withCid(MemoryPair.clientConfig(v)));
        serverContext = Dtls.provider(provider).newContext(withCid(MemoryPair.serverConfig(v)));
        established = new MemoryPair(clientContext, serverContext).handshake();
    }

    private DtlsConfig withCid(DtlsConfig config) {
        return cid == 0 ? config : config.toBuilder().connectionIdLength(cid).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (established != null) {
            established.close();
            clientContext.close();
            serverContext.close();
        }
    }

    @Benchmark
    public int record1200() {
        return established.deliver(record.clear());
    }
}
