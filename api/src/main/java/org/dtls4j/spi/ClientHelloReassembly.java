package org.dtls4j.spi;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Optional;

/**
 * Collects the fragments of the ClientHello a server session was created for, for a backend
 * that needs the whole message in one record.
 *
 * <p>A client fragments its ClientHello when it does not fit its datagram size: at the
 * smallest size dtls4j allows (256 bytes) a JSSE client's ClientHello with a cookie
 * always does, and so does OpenSSL's ({@code -mtu 256}). The api's listener verifies the
 * cookie in the first fragment and creates the session with that datagram alone; the
 * other fragments follow it. Some backends cannot take it so: a new JSSE engine must first
 * be primed with a cookie-less copy of the whole message, and wolfSSL ignores every
 * fragmented ClientHello (it keeps no state for one, against denial of service). Such a
 * session holds the fragments back until they cover the message, then gives its backend
 * the whole ClientHello as one unfragmented record ({@link #record()}).
 *
 * <p>Only fragments of the same message (epoch 0, ClientHello, same message_seq, same
 * length) count; each fragment's bounds are checked against the message and the record
 * it came in. The message must fit one plaintext record.
 *
 * <p>Not thread-safe: owned by one session, or by the listener's receive loop.
 *
 * @since 0.1
 */
public final class ClientHelloReassembly {

    /** The whole message, handshake header included, must fit one plaintext record. */
    public static final int MAX_MESSAGE_LENGTH = (1 << 14) - DtlsRecords.HANDSHAKE_HEADER_SIZE;

    private final int version;
    private final long sequence;
    private final int messageSeq;
    private final byte[] body;
    private final BitSet received = new BitSet();

    private ClientHelloReassembly(int version, long sequence, int messageSeq, int messageLength) {
        this.version = version;
        this.sequence = sequence;
        this.messageSeq = messageSeq;
        this.body = new byte[messageLength];
    }

    /**
     * Starts from the datagram a server session was created for (from position to limit,
     * not consumed, well-formed) if its first record begins with the first fragment of a
     * ClientHello with a message_seq above 0, the one that follows a HelloVerifyRequest;
     * empty otherwise. The datagram still has to be {@linkplain #add added}.
     *
     * @param datagram the session's first datagram
     * @return the reassembly of its ClientHello, or empty if it starts with none
     */
    public static Optional<ClientHelloReassembly> start(ByteBuffer datagram) {
        return start(datagram, false);
    }

    /**
     * Starts, as {@link #start}, from the first fragment of any ClientHello, whatever its
     * message_seq: for the api's listener, which holds the fragments of a cookie-less DTLS 1.3
     * ClientHello so that the backend can answer the whole message with a HelloRetryRequest.
     *
     * @param datagram a datagram whose first record may start a ClientHello
     * @return the reassembly of its ClientHello, or empty if it starts with none
     */
    public static Optional<ClientHelloReassembly> startAny(ByteBuffer datagram) {
        return start(datagram, true);
    }

    private static Optional<ClientHelloReassembly> start(ByteBuffer datagram, boolean anyMessageSeq) {
        int record = datagram.position();
        if (DtlsRecords.plaintextHandshakeType(datagram, record) != DtlsRecords.CLIENT_HELLO) {
            return Optional.empty();
        }
        int hs = record + DtlsRecords.HEADER_SIZE;
        int messageLength = DtlsRecords.u24(datagram, hs + 1);
        int messageSeq = DtlsRecords.u16(datagram, hs + 4);
        if ((messageSeq == 0 && !anyMessageSeq) || DtlsRecords.u24(datagram, hs + 6) != 0 || messageLength == 0
                || messageLength > MAX_MESSAGE_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new ClientHelloReassembly(DtlsRecords.version(datagram, record),
                DtlsRecords.sequenceNumber(datagram, record), messageSeq, messageLength));
    }

    /**
     * Copies the fragments of this ClientHello that {@code datagram} (from position to
     * limit, not consumed, well-formed) holds.
     *
     * @param datagram a datagram of the session, records checked by the caller
     * @return whether it held any
     */
    public boolean add(ByteBuffer datagram) {
        boolean any = false;
        int end = datagram.limit();
        for (int record = datagram.position(); record < end; record += DtlsRecords.recordSize(datagram, record)) {
            if (DtlsRecords.contentType(datagram, record) != DtlsRecords.HANDSHAKE
                    || DtlsRecords.epoch(datagram, record) != 0) {
                continue;
            }
            int recordEnd = record + DtlsRecords.recordSize(datagram, record);
            // A record may carry several handshake fragments (RFC 6347 section 4.2.3).
            int hs = record + DtlsRecords.HEADER_SIZE;
            while (recordEnd - hs >= DtlsRecords.HANDSHAKE_HEADER_SIZE) {
                int fragmentOffset = DtlsRecords.u24(datagram, hs + 6);
                int fragmentLength = DtlsRecords.u24(datagram, hs + 9);
                int fragment = hs + DtlsRecords.HANDSHAKE_HEADER_SIZE;
                if (fragmentLength > recordEnd - fragment) {
                    break; // runs past its record: nothing more to trust in it
                }
                if ((datagram.get(hs) & 0xff) == DtlsRecords.CLIENT_HELLO
                        && DtlsRecords.u16(datagram, hs + 4) == messageSeq
                        && DtlsRecords.u24(datagram, hs + 1) == body.length
                        && fragmentOffset <= body.length - fragmentLength) {
                    datagram.get(fragment, body, fragmentOffset, fragmentLength);
                    received.set(fragmentOffset, fragmentOffset + fragmentLength);
                    any = true;
                }
                hs = fragment + fragmentLength;
            }
        }
        return any;
    }

    /** {@return whether the fragments added so far cover the whole message} */
    public boolean isComplete() {
        return received.nextClearBit(0) >= body.length;
    }

    /**
     * The whole ClientHello as one record, with the record header (version, sequence
     * number) of its first fragment; only once {@linkplain #isComplete complete}.
     *
     * @return a new buffer holding the record, from position 0 to its limit
     * @throws IllegalStateException if the message is not complete
     */
    public ByteBuffer record() {
        if (!isComplete()) {
            throw new IllegalStateException("the ClientHello is not complete");
        }
        int length = DtlsRecords.HANDSHAKE_HEADER_SIZE + body.length;
        ByteBuffer out = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + length);
        out.put((byte) DtlsRecords.HANDSHAKE).putShort((short) version).putShort((short) 0);
        out.putShort((short) (sequence >>> 32)).putInt((int) sequence);
        out.putShort((short) length);
        out.put((byte) DtlsRecords.CLIENT_HELLO);
        put24(out, body.length);
        out.putShort((short) messageSeq);
        put24(out, 0);
        put24(out, body.length);
        out.put(body);
        return out.flip();
    }

    private static void put24(ByteBuffer b, int v) {
        b.put((byte) (v >>> 16)).putShort((short) v);
    }
}
