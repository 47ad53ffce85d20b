package org.dtls4j;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the listener spends finding a datagram's session: by address (a
 * {@code ConcurrentHashMap<InetSocketAddress, ...>} lookup with a fresh, equal address, as
 * {@code DatagramChannel.receive} returns one per datagram) against by connection ID (the
 * listener's {@link ConnectionIdRoutes}: frame the first record, read its CID, look it up),
 * over {@code sessions} live sessions, in the same run.
 *
 * <p>It sits in package {@code org.dtls4j} to reach the package-private table the listener
 * uses, not a copy of it (the jars are on the class path, where one package may span two).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.openjdk.jmh.Main RoutingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    @Param({"1000"})
    public int sessions;

    @Param({"4", "8"})
    public int cidLength;

    private final ConcurrentHashMap<InetSocketAddress, Object> byAddress = new ConcurrentHashMap<>();
    private ConnectionIdRoutes<Object> byId;
    /** The reading thread's lookup, as each of the listener's sockets has its own. */
    private ConnectionIdRoutes<Object>.Lookup lookup;
    /** Equal to the table's keys but other objects, as the socket hands them out. */
    private InetSocketAddress[] sources;
    private ByteBuffer[] datagrams;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        byId = new ConnectionIdRoutes<>(cidLength, false);
        lookup = byId.lookup();
        sources = new InetSocketAddress[sessions];
        datagrams = new ByteBuffer[sessions];
        for (int i = 0; i < sessions; i++) {
            Object session = new Object();
            byte[] ip = {10, 0, (byte) (i >> 8), (byte) i};
            byAddress.put(new InetSocketAddress(InetAddress.getByAddress(ip), 40000 + i), session);
            sources[i] = new InetSocketAddress(InetAddress.getByAddress(ip.clone()), 40000 + i);
            byte[] cid = byId.issue(session);
            // a 1.2 tls12_cid record of a 100-byte application record (AES-GCM: +24)
            ByteBuffer d = ByteBuffer.allocateDirect(13 + cidLength + 124);
            d.put((byte) 25).putShort((short) 0xfefd).putShort((short) 1).putShort((short) 0).putInt(i)
                    .put(cid).putShort((short) 124);
            datagrams[i] = d.clear();
        }
    }

    @Benchmark
    public Object byAddress() {
        int i = next++ % sessions;
        return byAddress.get(sources[i]);
    }

    @Benchmark
    public Object byConnectionId() {
        int i = next++ % sessions;
        return lookup.find(datagrams[i]);
    }
}
