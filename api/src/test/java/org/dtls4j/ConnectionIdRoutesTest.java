package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The listener's connection-ID table: issued IDs are unique while live, lookups find them in both header forms. */
class ConnectionIdRoutesTest {

    /** A DTLS 1.2 tls12_cid record (RFC 9146) with a 4-byte fragment. */
    private static ByteBuffer cidRecord(byte[] cid) {
        ByteBuffer b = ByteBuffer.allocate(13 + cid.length + 4);
        b.put((byte) 25).putShort((short) 0xfefd).putShort((short) 1).putShort((short) 0).putInt(9);
        return b.put(cid).putShort((short) 4).putInt(0x01020304).flip();
    }

    /** A DTLS 1.3 unified header with the C bit, a 16-bit sequence number and a length. */
    private static ByteBuffer unifiedRecord(byte[] cid) {
        ByteBuffer b = ByteBuffer.allocate(1 + cid.length + 4 + 4);
        b.put((byte) 0x3f).put(cid).putShort((short) 7).putShort((short) 4).putInt(0x01020304);
        return b.flip();
    }

    @Test
    void anIssuedIdRoutesBothHeaderFormsToItsConnectionFromAnywhere() {
        ConnectionIdRoutes<String> routes = new ConnectionIdRoutes<>(6, true);
        ConnectionIdRoutes<String>.Lookup lookup = routes.lookup();
        byte[] id = routes.issue("a");
        assertThat(id).hasSize(6);
        ByteBuffer d = cidRecord(id);
        assertThat(lookup.find(d)).isEqualTo("a");
        assertThat(d.position()).as("the lookup does not consume the datagram").isZero();
        assertThat(lookup.find(unifiedRecord(id))).isEqualTo("a");
        assertThat(lookup.carriedConnectionId()).isTrue();
    }

    @Test
    void aRecordWithoutAnIdIsNotRoutedAndOneWithAnUnknownIdIsTold() {
        ConnectionIdRoutes<String> routes = new ConnectionIdRoutes<>(4, false);
        ConnectionIdRoutes<String>.Lookup lookup = routes.lookup();
        routes.issue("a");
        ByteBuffer plain = ByteBuffer.allocate(13 + 2).put((byte) 23).putShort((short) 0xfefd).putShort((short) 1)
                .putShort((short) 0).putInt(3).putShort((short) 2).putShort((short) 0).flip();
        assertThat(lookup.find(plain)).isNull();
        assertThat(lookup.carriedConnectionId()).as("no connection ID: routed by address").isFalse();
        assertThat(lookup.find(cidRecord(new byte[] {9, 9, 9, 9}))).isNull();
        assertThat(lookup.carriedConnectionId()).as("an ID no live connection holds").isTrue();
        assertThat(lookup.find(ByteBuffer.allocate(3))).as("garbage").isNull();
        assertThat(lookup.carriedConnectionId()).isFalse();
    }

    @Test
    void idsAreUniqueWhileLiveAndFreeAgainWhenReleased() {
        ConnectionIdRoutes<Integer> routes = new ConnectionIdRoutes<>(1, false);
        ConnectionIdRoutes<Integer>.Lookup lookup = routes.lookup();
        Set<String> seen = new HashSet<>();
        int issued = 0;
        for (int i = 0; i < 256; i++) {
            byte[] id = routes.issue(i);
            if (id != null) {
                issued++;
                assertThat(seen.add(HexFormat.of().formatHex(id))).as("a live ID is never issued twice").isTrue();
            }
        }
        assertThat(routes.size()).as("the table holds one entry per issued ID, never more").isEqualTo(issued)
                .isLessThanOrEqualTo(256);
        assertThat(issued).as("a one-byte space fills up; most of it is issued").isGreaterThan(64);
        byte[] some = HexFormat.of().parseHex(seen.iterator().next());
        Integer holder = lookup.find(cidRecord(some));
        routes.release(some, holder + 1000);
        assertThat(lookup.find(cidRecord(some))).as("only its holder releases an ID").isEqualTo(holder);
        routes.release(some, holder);
        assertThat(lookup.find(cidRecord(some))).isNull();
        assertThat(routes.register(some, 7)).as("a released ID can be held again").isTrue();
        assertThat(routes.register(some, 8)).as("but not twice").isFalse();
        assertThat(routes.register(new byte[] {1, 2}, 9)).as("nor one of another length").isFalse();
    }

    @Test
    void lookupsOfTwoReadingThreadsShareOneTable() throws Exception {
        ConnectionIdRoutes<String> routes = new ConnectionIdRoutes<>(4, false);
        byte[] id = routes.issue("a");
        ConnectionIdRoutes<String>.Lookup first = routes.lookup();
        java.util.concurrent.CompletableFuture<String> other = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> routes.lookup().find(cidRecord(id)));
        assertThat(first.find(cidRecord(id))).isEqualTo("a");
        assertThat(other.get(5, java.util.concurrent.TimeUnit.SECONDS)).as("another thread's lookup finds it too")
                .isEqualTo("a");
        routes.release(id, "a");
        assertThat(first.find(cidRecord(id))).as("released for every lookup").isNull();
    }
}
