package org.dtls4j.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsConnectionHandler;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;
import org.dtls4j.TransportStats;
import org.dtls4j.spi.DtlsProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dtls4j server}: an echo server on the listener; with {@link NodeOptions} one node of
 * several behind a UDP balancer. Prints one line per event: "listening on", "connected PEER
 * INFO" (INFO says "resumed" for an abbreviated handshake), "closed", "failed", and "stats ...".
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a DTLS echo server (every record goes back to its sender).")
final class ServerCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--port", description = "UDP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 4433;

    @Option(names = "--bind", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--jfr", paramLabel = "FILE", description = "Record the dtls4j JDK Flight Recorder events"
            + " (org.dtls4j.*: handshakes, alerts, rejected cookies, dropped datagrams, migrations) to FILE, written"
            + " when the server stops; read it with 'jfr print --events org.dtls4j.Handshake FILE' or JDK Mission"
            + " Control.")
    Path jfr;

    @Mixin
    NodeOptions node;

    /** Connections whose handshake resumed a session, for the stats line. */
    private final AtomicLong resumed = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        DtlsProvider provider = common.provider();
        ServerRecording recording = jfr == null ? null : ServerRecording.start(jfr);
        TransportOptions transport = node.transport();
        DtlsConfig config = node.apply(common.config(true).toBuilder(), provider).build();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                // Let the server close and the recording be written before the JVM halts.
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (DtlsContext context = provider.newContext(config);
             DtlsServer server = bind(context, transport)) {
            System.out.println("dtls4j server (" + provider.name() + ") listening on " + server.localAddress()
                    + " pid " + ProcessHandle.current().pid()
                    + (recording == null ? "" : ", recording JFR events to " + recording.file()));
            System.out.flush();
            if (node.statsSeconds > 0) {
                long nanos = TimeUnit.SECONDS.toNanos(node.statsSeconds);
                while (!stop.await(nanos, TimeUnit.NANOSECONDS)) {
                    System.out.println(statsLine(server.stats()));
                    System.out.flush();
                }
            } else {
                stop.await();
            }
            System.out.println(statsLine(server.stats()));
        } finally {
            if (recording != null) {
                recording.finish();
                System.out.println("JFR recording written to " + recording.file());
            }
            System.out.flush();
            stopped.countDown();
        }
        return 0;
    }

    /** One line of what an operator watches on a node. */
    String statsLine(TransportStats s) {
        return "stats sessions=" + s.liveSessions() + " handshakes=" + s.handshakesCompleted()
                + " resumed=" + resumed.get() + " started=" + s.handshakesStarted() + " failed=" + s.handshakesFailed()
                + " cookies=" + s.cookiesSent() + "/" + s.cookiesVerified() + "/" + s.cookiesRejected()
                + " datagrams=" + s.datagramsIn() + "/" + s.datagramsOut() + " records=" + s.recordsIn() + "/" + s.recordsOut()
                + " retransmissions=" + s.retransmissions() + " drops=" + s.droppedTotal();
    }

    private DtlsServer bind(DtlsContext context, TransportOptions transport) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(bind), port);
        try {
            return DtlsServer.bind(context, at, transport, new DtlsConnectionHandler() {
                @Override
                public void onConnected(DtlsConnection c) {
                    if (c.info().resumed()) {
                        resumed.incrementAndGet();
                    }
                    System.out.println("connected " + c.peerAddress() + " " + c.info());
                    System.out.flush();
                }

                @Override
                public void onRecord(DtlsConnection c, ByteBuffer record) {
                    try {
                        c.send(record);
                    } catch (IOException | DtlsException e) {
                        System.out.println("cannot echo to " + c.peerAddress() + ": " + e.getMessage());
                    }
                }

                @Override
                public void onClosed(DtlsConnection c) {
                    System.out.println("closed " + c.peerAddress());
                }

                @Override
                public void onFailed(DtlsConnection c, DtlsException e) {
                    System.out.println("failed " + c.peerAddress() + ": " + e.getMessage());
                }
            });
        } catch (BindException e) {
            throw new IOException("cannot bind " + at + ": " + e.getMessage() + " (is the port in use?)", e);
        }
    }
}
