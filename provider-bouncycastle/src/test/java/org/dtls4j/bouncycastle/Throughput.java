package org.dtls4j.bouncycastle;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.tck.SessionPair;

/**
 * A rough measurement, not a test: handshakes per second and 1200-byte records per second
 * between two in-memory sessions, with AES-GCM from the JDK and from BouncyCastle. Run with
 * {@code java -cp ... org.dtls4j.bouncycastle.Throughput}; the benchmarks module has the
 * real ones.
 */
public final class Throughput {

    private Throughput() {
    }

    public static void main(String[] args) throws Exception {
        for (String jdkGcm : new String[] {"true", "false", "true", "false"}) {
            System.setProperty(BcContext.JDK_GCM_PROPERTY, jdkGcm);
            run(jdkGcm.equals("true") ? "JDK AES-GCM" : "BC AES-GCM ");
        }
    }

    private static void run(String label) throws Exception {
        BouncyCastleProvider provider = new BouncyCastleProvider(2);
        DtlsConfig client = Configs.client().cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build();
        try (DtlsContext c = provider.newContext(client); DtlsContext s = provider.newContext(Configs.server().build())) {
            int handshakes = 100;
            long start = System.nanoTime();
            Pair last = null;
            for (int i = 0; i < handshakes; i++) {
                if (last != null) {
                    last.close();
                }
                last = new Pair(c, s);
            }
            double hs = handshakes / ((System.nanoTime() - start) / 1e9);
            int records = 100_000;
            byte[] payload = new byte[1200];
            start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                last.client.send(ByteBuffer.wrap(payload));
                last.pump();
            }
            double rs = records / ((System.nanoTime() - start) / 1e9);
            System.out.printf("%s: %6.0f handshakes/s, %8.0f records/s (%.0f MB/s)%n", label, hs, rs, rs * 1200 / 1e6);
            last.close();
        }
    }

    /** Two sessions joined by queues, pumped on the calling thread once established. */
    private static final class Pair implements AutoCloseable {
        final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        final ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        final CompletableFuture<Void> up = new CompletableFuture<>();
        final DtlsSession client;
        final DtlsSession server;
        long received;

        Pair(DtlsContext c, DtlsContext s) throws Exception {
            server = s.newServerSession(SessionPair.CLIENT_ADDRESS, listener(toClient, false));
            client = c.newClientSession(SessionPair.SERVER_ADDRESS, listener(toServer, true));
            server.beginHandshake();
            client.beginHandshake();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(client.state() == org.dtls4j.DtlsSessionState.ESTABLISHED
                    && server.state() == org.dtls4j.DtlsSessionState.ESTABLISHED)) {
                pump();
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("handshake did not complete");
                }
                Thread.onSpinWait();
            }
        }

        private DtlsSessionListener listener(ArrayDeque<byte[]> out, boolean isClient) {
            return new DtlsSessionListener() {
                @Override
                public void onDatagram(ByteBuffer datagram) {
                    byte[] b = new byte[datagram.remaining()];
                    datagram.get(b);
                    synchronized (Pair.this) {
                        out.add(b);
                    }
                }

                @Override
                public void onRecord(ByteBuffer record) {
                    received++;
                }

                @Override
                public void onHandshakeComplete(DtlsSessionInfo info) {
                }
            };
        }

        void pump() {
            while (true) {
                byte[] toS;
                byte[] toC;
                synchronized (this) {
                    toS = toServer.poll();
                    toC = toClient.poll();
                }
                if (toS == null && toC == null) {
                    return;
                }
                if (toS != null) {
                    server.receive(ByteBuffer.wrap(toS));
                }
                if (toC != null) {
                    client.receive(ByteBuffer.wrap(toC));
                }
            }
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
