package org.dtls4j.wolfssl;

import java.nio.ByteBuffer;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;

/**
 * Tells when a DTLS 1.2 PSK handshake's keys differ (a wrong key on one side). wolfSSL drops a
 * record it cannot decrypt, in the handshake too ({@code HandleDTLSDecryptFailed} in
 * internal.c: "pretend the datagram never happened"), so the peer's Finished is dropped again
 * and again and the handshake would only time out. RFC 6347 section 4.1.2.7 also allows a
 * fatal {@code bad_record_mac}, which tells both sides at once. The sign, as in the OpenSSL
 * provider: after the peer's ChangeCipherSpec, three datagrams carrying protected handshake
 * records that wolfSSL answered with nothing. Only a handshake that used a PSK is judged: with
 * certificates the keys come from the key exchange and cannot differ, and on a lossy path a
 * Finished that overtook its ChangeCipherSpec proves nothing.
 *
 * <p>Not thread-safe: part of one {@link WolfSslSession}.
 */
final class KeysDiffer {

    private static final int SIGNS = 3;
    private boolean peerChangeCipherSpec;
    private boolean protectedHandshake;
    private int undecryptable;

    /** Before a handshake datagram is fed: notes whether it carries the peer's CCS or a protected handshake record. */
    void inspect(DtlsRecordCursor records, ByteBuffer datagram) {
        protectedHandshake = false;
        for (records.reset(datagram); records.next(); ) {
            if (records.isUnified()) {
                continue;
            }
            if (records.contentType() == DtlsRecords.CHANGE_CIPHER_SPEC && records.epoch() == 0) {
                peerChangeCipherSpec = true;
            } else if (records.contentType() == DtlsRecords.HANDSHAKE && records.epoch() >= 1) {
                protectedHandshake = true;
            }
        }
    }

    /**
     * After the datagram: whether it is the sign that decides; {@code answered} is whether
     * wolfSSL sent anything, {@code usedPsk} whether the handshake authenticates with a PSK.
     */
    boolean decided(boolean answered, boolean usedPsk) {
        return usedPsk && peerChangeCipherSpec && protectedHandshake && !answered && ++undecryptable >= SIGNS;
    }

    /** The failure to report once {@link #decided}; the caller sends the alert. */
    DtlsAlertException failure() {
        return new DtlsAlertException(DtlsAlert.BAD_RECORD_MAC, DtlsAlertException.Origin.LOCAL,
                "the peer's Finished could not be decrypted " + undecryptable + " times: the keys differ (a wrong PSK)");
    }
}
