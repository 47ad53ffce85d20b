package org.dtls4j.openssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsException;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.PeerCertificates;

/**
 * An OpenSSL session's failure mapping: the fatal alerts OpenSSL reports through its info
 * callback, sent or received, and a certificate refusal of ours, turned into a
 * {@link DtlsAlertException} with the alert and who sent it when a call fails.
 *
 * <p>Not thread-safe: OpenSSL's callbacks run on the session's caller's thread.
 */
final class OpenSslFailures {

    private int alertSent = -1;
    private int alertReceived = -1;
    private PeerCertificates.RefusedException refusal;
    /** Protected handshake datagrams that moved nothing: OpenSSL drops records it cannot decrypt silently. */
    private int undecryptable;

    void refused(PeerCertificates.RefusedException e) {
        refusal = e;
    }

    void alert(boolean sent, int level, int description) {
        if (level != 2) {
            return; // warnings: close_notify is handled as end of stream
        }
        if (sent) {
            alertSent = description;
        } else {
            alertReceived = description;
        }
    }

    /** Whether this side sent a fatal alert. */
    boolean alertSent() {
        return alertSent >= 0;
    }

    /** What a failed {@code SSL_*} call means, given {@code SSL_get_error}'s answer and the drained error queue. */
    DtlsException failure(int sslError, String errors) {
        String detail = (errors.isEmpty() ? "SSL_get_error " + sslError : errors)
                + (refusal != null ? " (" + refusal.getMessage() + ")" : "");
        if (alertSent >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(alertSent), DtlsAlertException.Origin.LOCAL, detail, refusal);
        }
        if (alertReceived >= 0) {
            return new DtlsAlertException(DtlsAlert.ofCode(alertReceived), DtlsAlertException.Origin.PEER, detail);
        }
        return new DtlsAlertException(DtlsAlert.INTERNAL_ERROR, DtlsAlertException.Origin.LOCAL,
                "OpenSSL failed without an alert: " + detail);
    }

    /**
     * The peer's Finished, protected under the new keys, came again and again and OpenSSL
     * could neither decrypt it nor answer it: the keys differ (a wrong PSK, say). OpenSSL
     * discards such records silently, as RFC 6347 allows, and would let the handshake time
     * out; RFC 6347 section 4.1.2.7 also allows a fatal bad_record_mac, which tells both
     * sides at once. One Finished that overtook its ChangeCipherSpec is not enough, and
     * none counts before OpenSSL has read the peer's ChangeCipherSpec: on a lossy path the
     * peer's ChangeCipherSpec, or the key exchange before it, can be lost again and again
     * while its Finished gets through, and then the keys are not wrong, only not switched
     * on yet.
     *
     * @return the plaintext fatal bad_record_mac alert to send, the session to fail after
     *         it; null while that is not yet clear
     */
    ByteBuffer keysDiffer(Pointer ssl, long epoch0Sequence) {
        String state = LibSsl.SSL_state_string_long(ssl);
        if (state == null || !state.contains("read change cipher spec") || ++undecryptable < 3) {
            return null;
        }
        // Our write epoch is still 0 (we have not answered the peer's Finished): a plaintext alert.
        long sequence = epoch0Sequence + 1;
        ByteBuffer alert = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + 2);
        DtlsRecords.putHeader(alert, DtlsRecords.ALERT, LibSsl.DTLS1_2_VERSION, 0, sequence, 2)
                .put(DtlsRecords.FATAL).put((byte) DtlsAlert.BAD_RECORD_MAC.code()).flip();
        return alert.asReadOnlyBuffer();
    }

    /** The failure to report after {@link #keysDiffer} answered an alert. */
    DtlsException keysDifferFailure() {
        return new DtlsAlertException(DtlsAlert.BAD_RECORD_MAC, DtlsAlertException.Origin.LOCAL,
                "the peer's Finished could not be decrypted " + undecryptable
                + " times: the keys differ (for PSK: a wrong key)");
    }
}
