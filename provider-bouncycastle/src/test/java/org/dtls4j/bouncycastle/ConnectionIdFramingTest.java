package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.junit.jupiter.api.Test;

/**
 * An established session frames tls12_cid records (RFC 9146) with its own connection ID's
 * length: a datagram holding a record whose CID is shorter or longer is dropped whole and
 * counted, not handed to BouncyCastle on trust, and the session goes on.
 */
class ConnectionIdFramingTest {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final BouncyCastleProvider provider = new BouncyCastleProvider(2);

    /**
     * A tls12_cid record in epoch 1 carrying {@code cid}, whose length field and the first
     * two bytes of its fragment are 0xffff: read with any other CID length, the length runs
     * past the datagram.
     */
    private static byte[] cidRecord(byte[] cid, long sequence) {
        int fragment = 32;
        ByteBuffer b = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + cid.length + fragment);
        b.put((byte) DtlsRecords.TLS12_CID).putShort((short) 0xfefd).putShort((short) 1);
        b.putShort((short) (sequence >>> 32)).putInt((int) sequence);
        b.put(cid).putShort((short) fragment);
        b.putShort((short) 0xffff);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Carries each side's datagrams to the other until both are established (the handshake runs on BouncyCastle's threads). */
    private static void handshake(DtlsSession client, RecordingListener c, DtlsSession server, RecordingListener s)
            throws InterruptedException {
        long start = System.nanoTime();
        while (!(c.established().isDone() && s.established().isDone())) {
            assertThat(System.nanoTime() - start).as("the handshake completes within 10 s").isLessThan(DEADLINE_NANOS);
            byte[] d = c.outbox().poll(10, TimeUnit.MILLISECONDS);
            if (d != null) {
                server.receive(ByteBuffer.wrap(d));
            }
            d = s.outbox().poll(10, TimeUnit.MILLISECONDS);
            if (d != null) {
                client.receive(ByteBuffer.wrap(d));
            }
        }
        RecordingListener.pump(client, c, server, s);
    }

    @Test
    void aCidRecordWhoseConnectionIdHasAnotherLengthIsDroppedWithItsDatagramAndCountedAndTheSessionGoesOn()
            throws Exception {
        RecordingListener c = new RecordingListener();
        RecordingListener s = new RecordingListener();
        try (DtlsContext clients = provider.newContext(Configs.client().connectionIdLength(4).build());
             DtlsContext servers = provider.newContext(Configs.server().connectionIdLength(6).build());
             DtlsSession client = clients.newClientSession(SessionPair.SERVER_ADDRESS, c);
             DtlsSession server = servers.newServerSession(SessionPair.CLIENT_ADDRESS, s)) {
            server.beginHandshake();
            client.beginHandshake();
            handshake(client, c, server, s);
            byte[] serverCid = s.established().join().localConnectionId().orElseThrow();
            assertThat(serverCid).hasSize(6);
            byte[] longer = Arrays.copyOf(serverCid, 8);
            longer[6] = (byte) 0xff;
            longer[7] = (byte) 0xff;
            byte[] shorter = Arrays.copyOf(serverCid, 4);

            client.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            byte[] good = c.outbox().poll(10, TimeUnit.SECONDS);
            assertThat(good).as("the client's record").isNotNull();
            assertThat(good[0]).as("sent with the server's CID").isEqualTo((byte) DtlsRecords.TLS12_CID);
            long before = server.droppedDatagrams();
            server.receive(ByteBuffer.wrap(cidRecord(longer, 1000)));
            server.receive(ByteBuffer.wrap(cidRecord(shorter, 1001)));
            server.receive(ByteBuffer.wrap(concat(good, cidRecord(shorter, 1002))));
            assertThat(server.droppedDatagrams() - before).as("each datagram with a CID of the wrong length is one drop")
                    .isEqualTo(3);
            assertThat(s.records()).as("a good record in such a datagram is not read either").isEmpty();

            assertThat(server.state()).isEqualTo(DtlsSessionState.ESTABLISHED);
            assertThat(s.failureCount()).as("no failure reported").isZero();
            server.receive(ByteBuffer.wrap(good));
            assertThat(s.records().poll(10, TimeUnit.SECONDS)).as("the good record alone is read").containsExactly(1, 2, 3);
            server.send(ByteBuffer.wrap(new byte[] {4}));
            client.receive(ByteBuffer.wrap(s.outbox().poll(10, TimeUnit.SECONDS)));
            assertThat(c.records().poll(10, TimeUnit.SECONDS)).as("and the server's answer").containsExactly(4);
        }
    }
}
