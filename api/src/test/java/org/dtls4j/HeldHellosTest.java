package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.dtls4j.spi.DtlsRecords;
import org.junit.jupiter.api.Test;

class HeldHellosTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 5001);

    private final AtomicLong clock = new AtomicLong();
    private final HeldHellos held = new HeldHellos(clock::get);

    @Test
    void theFragmentsOfAClientHelloAreHandedOverWholeOnceTheyCoverIt() {
        byte[] body = body(600);
        ByteBuffer first = fragment(body, 0, 250, 0);
        ByteBuffer middle = fragment(body, 250, 250, 1);
        ByteBuffer last = fragment(body, 500, 100, 2);
        int received = first.remaining() + middle.remaining() + last.remaining();
        assertThat(held.start(A, first)).isTrue();
        assertThat(first.position()).as("not consumed").isZero();
        assertThat(held.add(A, last)).as("not whole yet").isEmpty();
        HeldHellos.Whole whole = held.add(A, middle).orElseThrow();
        assertThat(whole.received()).isEqualTo(received);
        ByteBuffer record = whole.record();
        assertThat(record.remaining()).isEqualTo(DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 600);
        assertThat(DtlsRecords.u24(record, DtlsRecords.HEADER_SIZE + 9)).as("one fragment: the whole message").isEqualTo(600);
        assertThat(record.get(record.limit() - 1)).isEqualTo(body[599]);
        assertThat(held.holds(A)).as("handed over, no longer held").isFalse();
    }

    @Test
    void fragmentsFromAnotherAddressOrOfAnotherMessageAreNotAdded() {
        byte[] body = body(400);
        held.start(A, fragment(body, 0, 200, 0));
        assertThat(held.add(B, fragment(body, 200, 200, 1))).as("another address").isEmpty();
        assertThat(held.add(A, fragment(body(300), 200, 100, 1))).as("another message length").isEmpty();
        assertThat(held.add(A, fragment(body, 200, 200, 1))).isPresent();
    }

    @Test
    void aBadlyFramedDatagramIsNotHeld() {
        ByteBuffer cut = fragment(body(400), 0, 200, 0);
        cut.limit(cut.limit() - 1);
        assertThat(held.start(A, cut)).isFalse();
        assertThat(held.size()).isZero();
    }

    @Test
    void theTableIsBoundedAndTheOldestGoesFirst() {
        byte[] body = body(400);
        for (int port = 0; port < HeldHellos.MAX_CLIENTS + 5; port++) {
            held.start(new InetSocketAddress("127.0.0.1", 10000 + port), fragment(body, 0, 200, 0));
        }
        assertThat(held.size()).isEqualTo(HeldHellos.MAX_CLIENTS);
        assertThat(held.evicted()).isEqualTo(5);
        assertThat(held.holds(new InetSocketAddress("127.0.0.1", 10000))).isFalse();
        assertThat(held.holds(new InetSocketAddress("127.0.0.1", 10000 + HeldHellos.MAX_CLIENTS + 4))).isTrue();
    }

    @Test
    void aClientHelloIsHeldForALimitedTime() {
        byte[] body = body(400);
        held.start(A, fragment(body, 0, 200, 0));
        clock.addAndGet(HeldHellos.MAX_AGE_NANOS);
        assertThat(held.add(A, fragment(body, 200, 200, 1))).isEmpty();
        assertThat(held.size()).isZero();
    }

    private static byte[] body(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    /** One datagram: a record holding bytes {@code offset} to {@code offset + length} of a ClientHello with message_seq 0. */
    private static ByteBuffer fragment(byte[] body, int offset, int length, long sequence) {
        ByteBuffer b = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + length);
        DtlsRecords.putHeader(b, DtlsRecords.HANDSHAKE, 0xfefd, 0, sequence, DtlsRecords.HANDSHAKE_HEADER_SIZE + length);
        b.put((byte) DtlsRecords.CLIENT_HELLO);
        put24(b, body.length);
        b.putShort((short) 0);
        put24(b, offset);
        put24(b, length);
        b.put(body, offset, length);
        return b.flip();
    }

    private static void put24(ByteBuffer b, int v) {
        b.put((byte) (v >>> 16)).putShort((short) v);
    }
}
