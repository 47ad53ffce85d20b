package org.dtls4j.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.ProtocolVersion;

/**
 * Two sessions joined in memory with no network and no timers, driven from the calling
 * thread: the cost of the protocol alone. Datagrams are queued (a provider may emit them
 * from its own threads) and delivered by {@link #pump}. Not thread-safe.
 */
final class MemoryPair implements AutoCloseable {

    private record Datagram(boolean toServer, byte[] bytes) {
    }

    private final LinkedBlockingQueue<Datagram> wire = new LinkedBlockingQueue<>();
    final DtlsSession client;
    final DtlsSession server;
    volatile int clientRecords;
    volatile int serverRecords;
    private volatile boolean clientUp;
    private volatile boolean serverUp;
    private volatile boolean serverResumed;
    private volatile DtlsException failure;
    /** CPU time of the calling thread spent inside the server session's calls so far. */
    long serverCallNanos;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** A new server port per pair: contexts resume sessions per peer address, and these are full handshakes. */
    private static final java.util.concurrent.atomic.AtomicInteger PORTS = new java.util.concurrent.atomic.AtomicInteger();

    MemoryPair(DtlsContext clientContext, DtlsContext serverContext) {
        this(clientContext, serverContext,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 1024 + PORTS.getAndIncrement() % 60000));
    }

    /** A pair whose client takes {@code serverAddress} for the server's (a client resumes per server address). */
    MemoryPair(DtlsContext clientContext, DtlsContext serverContext, InetSocketAddress serverAddress) {
        client = clientContext.newClientSession(serverAddress, new Side(true));
        server = serverContext.newServerSession(new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000),
                new Side(false));
    }

    /** Runs the handshake to completion. */
    MemoryPair handshake() throws InterruptedException {
        long cpu = THREADS.getCurrentThreadCpuTime();
        server.beginHandshake();
        serverCallNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        client.beginHandshake();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(clientUp && serverUp)) {
            if (failure != null) {
                throw failure;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("handshake stalled");
            }
            Datagram d = wire.poll(1, TimeUnit.MILLISECONDS);
            if (d != null) {
                if (d.toServer) {
                    cpu = THREADS.getCurrentThreadCpuTime();
                    server.receive(ByteBuffer.wrap(d.bytes));
                    serverCallNanos += THREADS.getCurrentThreadCpuTime() - cpu;
                } else {
                    client.receive(ByteBuffer.wrap(d.bytes));
                }
            }
            // Like every driver, honour the timer contract (some sessions need it even on a perfect link).
            for (DtlsSession s : new DtlsSession[] {client, server}) {
                long t = s.nextTimeout();
                if (t != DtlsSession.NO_TIMEOUT && System.nanoTime() - t >= 0) {
                    s.handleTimeout();
                }
            }
        }
        return this;
    }

    /** Delivers what is queued now and fires due timers, without waiting. */
    void step() {
        pump();
        for (DtlsSession s : new DtlsSession[] {client, server}) {
            long t = s.nextTimeout();
            if (t != DtlsSession.NO_TIMEOUT && System.nanoTime() - t >= 0) {
                s.handleTimeout();
            }
        }
    }

    /** Whether the server reported its handshake as resumed. */
    boolean resumed() {
        return serverResumed;
    }

    /** Whether both sides completed the handshake. */
    boolean established() {
        return clientUp && serverUp;
    }

    /** Delivers everything queued. */
    void pump() {
        Datagram d;
        while ((d = wire.poll()) != null) {
            (d.toServer ? server : client).receive(ByteBuffer.wrap(d.bytes));
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

    /** Sends {@code record} from the client and pumps it through; returns the records the server has had. */
    int deliver(ByteBuffer record) {
        client.send(record);
        pump();
        return serverRecords;
    }

    static DtlsConfig serverConfig() {
        return serverConfig(ProtocolVersion.DTLS_1_2);
    }

    static DtlsConfig clientConfig() {
        return clientConfig(ProtocolVersion.DTLS_1_2);
    }

    static DtlsConfig serverConfig(ProtocolVersion version) {
        return DtlsConfig.builder().protocolVersions(version).credentials(org.dtls4j.tck.TckPki.get().ecServer()).build();
    }

    static DtlsConfig clientConfig(ProtocolVersion version) {
        return DtlsConfig.builder().protocolVersions(version).trustedCertificates(org.dtls4j.tck.TckPki.get().caCertificate())
                .build();
    }

    private final class Side implements DtlsSessionListener {
        private final boolean isClient;

        Side(boolean isClient) {
            this.isClient = isClient;
        }

        @Override
        public void onDatagram(ByteBuffer datagram) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(b);
            wire.add(new Datagram(isClient, b));
        }

        @Override
        public void onRecord(ByteBuffer record) {
            if (isClient) {
                clientRecords++;
            } else {
                serverRecords++;
            }
        }

        @Override
        public void onHandshakeComplete(DtlsSessionInfo info) {
            if (isClient) {
                clientUp = true;
            } else {
                serverResumed = info.resumed();
                serverUp = true;
            }
        }

        @Override
        public void onFailed(DtlsException e) {
            failure = e;
        }
    }
}
