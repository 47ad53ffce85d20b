package org.dtls4j.spi;

import java.nio.ByteBuffer;

/**
 * Screens the plaintext (epoch 0) records of a received datagram for what no correct peer
 * sends and some backend mishandles, so that a provider drops the datagram, and counts it,
 * before its backend reads it. Anyone who can spoof the peer's address can send plaintext
 * records, so none of them may cost memory or end a session:
 * <ul>
 *   <li>a handshake fragment whose offset and length run past its message, or that claims a
 *       message over {@link #MAX_HANDSHAKE_MESSAGE} bytes (RFC 6347 section 4.2.3): bctls
 *       1.84 allocates the claimed length and then waits for the message forever; JSSE,
 *       wolfSSL and OpenSSL stall or fail the handshake;</li>
 *   <li>a ChangeCipherSpec whose body is not the single byte 1 (RFC 5246 section 7.1):
 *       OpenSSL, wolfSSL and JSSE fail the handshake for it;</li>
 *   <li>a warning alert other than close_notify, and an alert of no known level: during the
 *       handshake JSSE, OpenSSL and wolfSSL end the session for warnings the RFC leaves to
 *       the receiver (RFC 5246 section 7.2; no_renegotiation, user_canceled), and a
 *       warning carries nothing a session needs.</li>
 * </ul>
 * Ciphertext records (DTLS 1.3 unified headers, RFC 9146 connection-ID records, epochs
 * above 0) are left to the backend, which authenticates them; so is a datagram whose
 * records do not frame, which the provider's framing drops anyway.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class PlaintextScreen {

    /**
     * The longest handshake message a session accepts, in bytes: 128 KiB, above OpenSSL's
     * default certificate list limit (100 KiB) and far below the 16 MB a 24-bit length can claim.
     */
    public static final int MAX_HANDSHAKE_MESSAGE = 1 << 17;

    /** {@link #epochsDuringHandshake}: the datagram holds a record of an epoch the peer cannot be in yet. */
    public static final int TOO_EARLY = -1;
    /** {@link #epochsDuringHandshake}: nothing too early, and no ChangeCipherSpec. */
    public static final int SAME_EPOCH = 0;
    /** {@link #epochsDuringHandshake}: nothing too early, and the peer's ChangeCipherSpec. */
    public static final int CHANGES_CIPHER = 1;

    private static final int WARNING = 1;
    private static final int CLOSE_NOTIFY = 0;

    private PlaintextScreen() {
    }

    /**
     * {@return whether every plaintext record of {@code datagram}, from its position to its
     * limit, is one a correct peer may send; false means: drop the datagram and count it}
     * Does not move the buffer's position or limit.
     *
     * @param datagram the received datagram
     */
    public static boolean passes(ByteBuffer datagram) {
        int at = datagram.position();
        int limit = datagram.limit();
        while (at + DtlsRecords.HEADER_SIZE <= limit) {
            int type = DtlsRecords.contentType(datagram, at);
            if (type < DtlsRecords.CHANGE_CIPHER_SPEC || type > DtlsRecords.ACK || type == DtlsRecords.TLS12_CID) {
                return true; // a unified header, a CID record or no record: not ours to read
            }
            int length = DtlsRecords.length(datagram, at);
            int body = at + DtlsRecords.HEADER_SIZE;
            if (body + length > limit) {
                return true;
            }
            if (DtlsRecords.epoch(datagram, at) == 0 && !plaintextRecordPasses(datagram, type, body, length)) {
                return false;
            }
            at = body + length;
        }
        return true;
    }

    /**
     * {@return whether a datagram received during a DTLS 1.0 or 1.2 handshake holds a record
     * of an epoch the peer cannot be in yet: {@link #TOO_EARLY} for a record above epoch 0
     * before the peer's ChangeCipherSpec (in this datagram or, as {@code peerChangedCipher}
     * says, an earlier one) or above epoch 1 after it; else {@link #CHANGES_CIPHER} if the
     * datagram holds the ChangeCipherSpec, {@link #SAME_EPOCH} if not}
     * A backend that keeps such records for later (OpenSSL, JSSE) may fail or stall the
     * handshake on them, and a Finished that overtook its ChangeCipherSpec comes again with
     * the peer's retransmitted flight. Reads DTLSPlaintext headers only; does not move the
     * buffer's position or limit.
     *
     * @param datagram the received datagram
     * @param peerChangedCipher whether an earlier datagram of this handshake held the peer's ChangeCipherSpec
     */
    public static int epochsDuringHandshake(ByteBuffer datagram, boolean peerChangedCipher) {
        int allowed = peerChangedCipher ? 1 : 0;
        boolean changes = false;
        int at = datagram.position();
        int limit = datagram.limit();
        while (at + DtlsRecords.HEADER_SIZE <= limit) {
            int type = DtlsRecords.contentType(datagram, at);
            if (type < DtlsRecords.CHANGE_CIPHER_SPEC || type > DtlsRecords.ACK || type == DtlsRecords.TLS12_CID) {
                break;
            }
            int epoch = DtlsRecords.epoch(datagram, at);
            if (epoch > allowed) {
                return TOO_EARLY;
            }
            if (type == DtlsRecords.CHANGE_CIPHER_SPEC && epoch == 0) {
                allowed = 1;
                changes = true;
            }
            at += DtlsRecords.HEADER_SIZE + DtlsRecords.length(datagram, at);
        }
        return changes ? CHANGES_CIPHER : SAME_EPOCH;
    }

    private static boolean plaintextRecordPasses(ByteBuffer b, int type, int body, int length) {
        switch (type) {
            case DtlsRecords.HANDSHAKE:
                return fragmentsPass(b, body, body + length);
            case DtlsRecords.CHANGE_CIPHER_SPEC:
                return length == 1 && b.get(body) == 1;
            case DtlsRecords.ALERT:
                return length == 2 && (b.get(body) == DtlsRecords.FATAL
                        || b.get(body) == WARNING && b.get(body + 1) == CLOSE_NOTIFY);
            default:
                return true;
        }
    }

    private static boolean fragmentsPass(ByteBuffer b, int at, int end) {
        while (at < end) {
            if (at + DtlsRecords.HANDSHAKE_HEADER_SIZE > end) {
                return false;
            }
            int messageLength = DtlsRecords.u24(b, at + 1);
            int offset = DtlsRecords.u24(b, at + 6);
            int fragmentLength = DtlsRecords.u24(b, at + 9);
            if (messageLength > MAX_HANDSHAKE_MESSAGE || offset + fragmentLength > messageLength
                    || at + DtlsRecords.HANDSHAKE_HEADER_SIZE + fragmentLength > end) {
                return false;
            }
            at += DtlsRecords.HANDSHAKE_HEADER_SIZE + fragmentLength;
        }
        return true;
    }
}
