package org.dtls4j;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.dtls4j.TransportStats.Counter;
import org.dtls4j.TransportStats.Counters;
import org.dtls4j.TransportStats.DropReason;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one call that emits a transport JFR event costs, with no recording ({@code recording=off}:
 * the event disabled) and with a recording of the dtls4j events ({@code on}), in the same run:
 * an alert ({@code TransportEvents.alert}, the shape of every per-connection event), a dropped
 * datagram through a server's counters (sampled: one event per 100 ms, the rest counted), and,
 * for scale, the counter increment the record path makes per record ({@code Counters.inc}),
 * which emits nothing.
 *
 * <p>It sits in package {@code org.dtls4j} to call the package-private code the transport
 * calls, not a copy of it (the jars are on the class path, where one package may span two).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.openjdk.jmh.Main TransportEventsBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportEventsBenchmark {

    @Param({"off", "on"})
    public String recording;

    private Recording r;
    private final Counters server = new Counters();
    private final Counters connection = new Counters(server);
    private final InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @Setup
    public void setUp() {
        if (recording.equals("on")) {
            r = new Recording(); // no settings: the application's events (the dtls4j ones), none of the JDK's
            r.setToDisk(false);
            r.setMaxSize(64 << 20);
            r.start();
        }
    }

    @TearDown
    public void tearDown() {
        if (r != null) {
            r.close();
        }
    }

    @Benchmark
    public void alert() {
        TransportEvents.alert("openssl", peer, false, false, DtlsAlert.CLOSE_NOTIFY);
    }

    @Benchmark
    public void droppedDatagram() {
        connection.drop(DropReason.MALFORMED);
    }

    @Benchmark
    public void recordCounter() {
        connection.inc(Counter.RECORDS_IN);
    }
}
