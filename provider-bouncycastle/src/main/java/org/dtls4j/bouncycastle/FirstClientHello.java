package org.dtls4j.bouncycastle;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecords;

/**
 * The fields of an unfragmented ClientHello alone in its datagram's first record, taken
 * apart for a {@code DTLSRequest}; the record header is read by the api's
 * {@link DtlsRecords}, the cookie and the fields it binds by its {@link ClientHellos}, so
 * this session verifies exactly what the api's {@code DtlsServer} bound. Immutable.
 *
 * @param recordSequence the record's 48-bit sequence number
 * @param message the handshake message: its 12-byte header and the body, unchanged
 * @param cookie the cookie, empty if none
 * @param parameters what a cookie binds: the body before the cookie, then the cipher suites
 *        and compression methods
 */
record FirstClientHello(long recordSequence, int messageSeq, byte[] message, byte[] cookie, byte[] parameters) {

    private static final int HEADER = DtlsRecords.HEADER_SIZE;
    private static final int HANDSHAKE_HEADER = DtlsRecords.HANDSHAKE_HEADER_SIZE;

    /**
     * Parses {@code d} with {@code reader}, which afterwards holds this ClientHello (to
     * answer it with a HelloVerifyRequest).
     */
    static Optional<FirstClientHello> parse(byte[] d, ClientHellos reader) {
        ByteBuffer b = ByteBuffer.wrap(d);
        if (reader.read(b) != ClientHellos.Verdict.CLIENT_HELLO) {
            return Optional.empty();
        }
        int length = DtlsRecords.u24(b, HEADER + 1);
        if (DtlsRecords.u24(b, HEADER + 9) != length || HANDSHAKE_HEADER + length > DtlsRecords.length(b, 0)) {
            return Optional.empty(); // fragmented: the listener and this session take only whole ones
        }
        byte[] message = Arrays.copyOfRange(d, HEADER, HEADER + HANDSHAKE_HEADER + length);
        byte[] cookie = reader.hasCookie() ? reader.cookie(b) : new byte[0];
        ByteBuffer bound = reader.parameters();
        byte[] without = Arrays.copyOfRange(bound.array(), bound.position(), bound.limit());
        return Optional.of(new FirstClientHello(DtlsRecords.sequenceNumber(b, 0), reader.messageSeq(), message, cookie,
                without));
    }

    /** Whether the datagram starts with a fragment of an epoch-0 ClientHello. */
    static boolean isFragment(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d);
        return d.length >= HEADER + HANDSHAKE_HEADER && DtlsRecords.plaintextHandshakeType(b, 0) == DtlsRecords.CLIENT_HELLO
                && DtlsRecords.u24(b, HEADER + 9) != DtlsRecords.u24(b, HEADER + 1);
    }

    ByteBuffer parametersBuffer() {
        return ByteBuffer.wrap(parameters).asReadOnlyBuffer();
    }
}
