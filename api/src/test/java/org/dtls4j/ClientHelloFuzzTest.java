package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dtls4j.spi.ClientHelloReassembly;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;

/**
 * Coverage-guided fuzzing of what the listener does with a datagram from a stranger: the
 * ClientHello parser ({@link ClientHellos}), the cookie check the listener runs on it
 * ({@link ListenerCookies} over the default {@link HmacCookieAuthority}), the
 * HelloVerifyRequest it answers with, and the reassembly of a fragmented ClientHello
 * ({@link ClientHelloReassembly}). Seeds: {@code ClientHelloFuzzTestInputs/}, first flights
 * of real handshakes (docs/FUZZING.md).
 *
 * <p>Not thread-safe: Jazzer runs one input at a time, and the reader is reused across inputs
 * as the listener reuses it across datagrams.
 */
class ClientHelloFuzzTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 40000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.10", 40001);
    private static final int GUARD = 5;

    private final ClientHellos reader = new ClientHellos();
    private final CookieAuthority authority = CookieAuthority.hmacSha256();
    private final ListenerCookies cookies = new ListenerCookies(authority, null, null, 16);
    private final DtlsConfig config = DtlsConfig.builder().cookieAuthority(authority).build();

    /**
     * One datagram from an unknown peer, as the listener reads it: the parser never throws or
     * moves the buffer, a forged cookie never verifies, a cookie the listener issues verifies
     * for its client only, and the HelloVerifyRequest is one well-framed record no larger than
     * the ClientHello (no amplification).
     */
    @FuzzTest
    void clientHelloAndCookie(byte[] input) {
        ByteBuffer d = framed(input);
        int from = d.position();
        int to = d.limit();
        ClientHellos.Verdict verdict = reader.read(d);
        ClientHellos.startsWithClientHello(d);
        assertThat(d.position()).isEqualTo(from);
        assertThat(d.limit()).isEqualTo(to);
        if (verdict != ClientHellos.Verdict.CLIENT_HELLO) {
            assertThat(reader.verifiedCookie(config, CLIENT, d)).isEmpty();
            return;
        }
        ByteBuffer params = reader.parameters();
        assertThat(params.remaining()).as("the bound fields come from the datagram").isLessThan(input.length);
        byte[] sent = reader.cookie(d);
        assertThat(sent.length).isLessThanOrEqualTo(255).isLessThan(input.length);
        assertThat(reader.hasCookie()).isEqualTo(sent.length > 0);
        reader.retryCookie(d).ifPresent(c -> assertThat(c.remaining()).isLessThan(input.length));
        assertThat(cookies.accepts(CLIENT, params.duplicate(), sent)).as("a cookie nobody issued").isFalse();
        assertThat(reader.verifiedCookie(config, CLIENT, d)).isEmpty();
        assertThat(d.position()).isEqualTo(from);

        byte[] issued = cookies.issue(CLIENT, params.duplicate(), d.duplicate());
        assertThat(cookies.accepts(CLIENT, params.duplicate(), issued)).as("the cookie just issued").isTrue();
        assertThat(cookies.accepts(OTHER, params.duplicate(), issued)).as("another client's cookie").isFalse();

        ByteBuffer answer = ByteBuffer.allocate(512);
        if (reader.writeHelloVerifyRequest(issued, answer)) {
            assertThat(answer.remaining()).as("the answer never outgrows the ClientHello").isLessThanOrEqualTo(to - from);
            DtlsRecordCursor cursor = new DtlsRecordCursor().reset(answer);
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.end()).isEqualTo(answer.limit());
            assertThat(DtlsRecords.plaintextHandshakeType(answer, 0)).isEqualTo(DtlsRecords.HELLO_VERIFY_REQUEST);
        } else {
            assertThat(DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE + 3 + issued.length)
                    .as("refused only when it would amplify").isGreaterThan(to - from);
        }
    }

    /**
     * The fragments of a ClientHello as a listener or server session collects them. The input
     * is a series of datagrams, each a two-byte length and its bytes; only datagrams that are
     * well framed reach the reassembly, as its callers promise. It never throws, never holds
     * more than one plaintext record's worth, and once complete yields one well-framed,
     * unfragmented ClientHello record.
     */
    @FuzzTest
    void clientHelloReassembly(byte[] input) {
        List<ByteBuffer> datagrams = split(input);
        if (datagrams.isEmpty() || !wellFramed(datagrams.get(0))) {
            return;
        }
        ByteBuffer first = datagrams.get(0);
        Optional<ClientHelloReassembly> afterCookie = ClientHelloReassembly.start(first);
        ClientHelloReassembly r = ClientHelloReassembly.startAny(first).orElse(null);
        if (r == null) {
            assertThat(afterCookie).isEmpty();
            return;
        }
        for (ByteBuffer d : datagrams) {
            int from = d.position();
            if (wellFramed(d)) {
                r.add(d);
            }
            assertThat(d.position()).isEqualTo(from);
            if (!r.isComplete()) {
                assertThatThrownBy(r::record).isInstanceOf(IllegalStateException.class);
                continue;
            }
            ByteBuffer whole = r.record();
            DtlsRecordCursor cursor = new DtlsRecordCursor().reset(whole);
            assertThat(cursor.next()).as("the whole ClientHello is one record").isTrue();
            assertThat(cursor.end()).isEqualTo(whole.limit());
            assertThat(whole.remaining()).isLessThanOrEqualTo(DtlsRecords.HEADER_SIZE + (1 << 14));
            assertThat(DtlsRecords.plaintextHandshakeType(whole, 0)).isEqualTo(DtlsRecords.CLIENT_HELLO);
            int fragmentLength = DtlsRecords.u24(whole, DtlsRecords.HEADER_SIZE + 9);
            assertThat(DtlsRecords.u24(whole, DtlsRecords.HEADER_SIZE + 1)).as("unfragmented").isEqualTo(fragmentLength);
        }
    }

    private static boolean wellFramed(ByteBuffer d) {
        return new DtlsRecordCursor().reset(d).count(DtlsRecords.ACK, 0xffff) > 0;
    }

    /** The datagrams of an input: each a two-byte big-endian length and that many bytes (fewer at the end). */
    static List<ByteBuffer> split(byte[] input) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i + 2 <= input.length && out.size() < 64; ) {
            int length = Math.min(((input[i] & 0xff) << 8) | (input[i + 1] & 0xff), input.length - i - 2);
            byte[] d = new byte[length];
            System.arraycopy(input, i + 2, d, 0, length);
            out.add(framed(d));
            i += 2 + length;
        }
        return out;
    }

    /** The bytes as a buffer that starts and ends inside a larger array, so that reads out of bounds show. */
    private static ByteBuffer framed(byte[] bytes) {
        byte[] a = new byte[GUARD + bytes.length + GUARD];
        System.arraycopy(bytes, 0, a, GUARD, bytes.length);
        return ByteBuffer.wrap(a, GUARD, bytes.length);
    }
}
