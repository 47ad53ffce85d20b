package org.dtls4j.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.dtls4j.CookieAuthority;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.BackendCookies;
import org.dtls4j.spi.ClientHellos;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the listener spends on one cookie-less ClientHello, the cost of answering a flood:
 * reading it and making the listener's own HMAC cookie, and, for a JSSE server, also
 * asking JSSE for its cookie ({@link BackendCookies}).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.openjdk.jmh.Main CookieBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CookieBenchmark {

    private final InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private final ClientHellos hellos = new ClientHellos();
    private final CookieAuthority authority = CookieAuthority.hmacSha256();
    private DtlsContext jsse;
    private BackendCookies jsseCookies;
    private ByteBuffer hello;

    @Setup(Level.Trial)
    public void setUp() {
        jsse = Dtls.provider("jsse").newContext(MemoryPair.serverConfig());
        jsseCookies = (BackendCookies) jsse;
        hello = ByteBuffer.wrap(firstClientHello());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        jsse.close();
    }

    @Benchmark
    public byte[] listenersHmacCookie() {
        hellos.read(hello);
        return authority.generate(client, hellos.parameters());
    }

    @Benchmark
    public byte[] jssesCookieAndTheListenersHmacCookie() {
        hellos.read(hello);
        authority.generate(client, hellos.parameters());
        return jsseCookies.cookieFor(hello).orElseThrow();
    }

    /** A JSSE client's first ClientHello. */
    private static byte[] firstClientHello() {
        byte[][] first = new byte[1][];
        try (DtlsContext c = Dtls.provider("jsse").newContext(DtlsConfig.builder().build())) {
            DtlsSession s = c.newClientSession(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9),
                    new DtlsSessionListener() {
                        @Override
                        public void onDatagram(ByteBuffer datagram) {
                            if (first[0] == null) {
                                first[0] = new byte[datagram.remaining()];
                                datagram.get(first[0]);
                            }
                        }

                        @Override
                        public void onRecord(ByteBuffer record) {
                        }
                    });
            s.beginHandshake();
            s.close();
        }
        return first[0];
    }
}
