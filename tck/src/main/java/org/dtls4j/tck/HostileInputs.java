package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.ProtocolVersion;

/** What {@link HostileInputContract}'s rules share: their checks and the RFC facts they rest on. Stateless. */
final class HostileInputs {

    /** Why the rules about the ChangeCipherSpec message belong to DTLS 1.0 and 1.2. */
    static final String CCS_ONLY = "DTLS 1.3 has no ChangeCipherSpec message (RFC 9147 section 5.7: it changes"
            + " epochs with the keys of each handshake message)";

    private HostileInputs() {
    }

    /**
     * {@return the warning alerts a receiver must survive during the handshake} DTLS 1.2 (RFC 5246
     * section 7.2): the descriptions the RFC does not call always fatal and that a sender may
     * send as warnings (user_canceled and no_renegotiation are "generally a warning"; the
     * certificate alerts carry no level; RFC 6066 section 3 allows unrecognized_name as a
     * warning). DTLS 1.3 (RFC 8446 section 6): every alert but close_notify and user_canceled
     * is fatal whatever its level, so only user_canceled.
     */
    static List<DtlsAlert> warningsThatMayNotKill(ProtocolVersion version) {
        if (version == ProtocolVersion.DTLS_1_3) {
            return List.of(DtlsAlert.USER_CANCELED);
        }
        return List.of(DtlsAlert.USER_CANCELED, DtlsAlert.NO_RENEGOTIATION, DtlsAlert.UNRECOGNIZED_NAME,
                DtlsAlert.BAD_CERTIFICATE, DtlsAlert.UNSUPPORTED_CERTIFICATE, DtlsAlert.CERTIFICATE_REVOKED,
                DtlsAlert.CERTIFICATE_EXPIRED, DtlsAlert.CERTIFICATE_UNKNOWN);
    }

    /** A loopback address whose port differs by {@code n}: a client context resumes nothing across them. */
    static InetSocketAddress serverAddress(int n) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 20000 + n);
    }

    /** Whether a plaintext handshake datagram starts with a message other than a ClientHello. */
    static boolean answersAHello(byte[] datagram) {
        return datagram[HostileRecords.HEADER] != 1;
    }

    /** The index of the first ChangeCipherSpec record among {@code records}, or -1. */
    static int indexOfChangeCipherSpec(List<byte[]> records) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i)[0] == HostileRecords.CHANGE_CIPHER_SPEC) {
                return i;
            }
        }
        return -1;
    }

    /** Both handshakes complete and a record flows each way, after {@code what}. */
    static void awaitWorking(SessionPair pair, String what) {
        pair.awaitEstablished(Tck.LOSSY_HANDSHAKE);
        assertRecordsFlow(pair, what);
    }

    /** A record flows each way and neither side has failed, after {@code what}. */
    static void assertRecordsFlow(SessionPair pair, String what) {
        pair.client().send(new byte[] {41});
        assertArrayEquals(new byte[] {41}, Await.next(pair.server().records(), Tck.EVENT,
                () -> "a record to the server " + what + "\n" + pair.describe()));
        pair.server().send(new byte[] {42});
        assertArrayEquals(new byte[] {42}, Await.next(pair.client().records(), Tck.EVENT,
                () -> "a record to the client " + what + "\n" + pair.describe()));
        for (SessionPair.End end : List.of(pair.client(), pair.server())) {
            assertTrue(!end.failed().isDone(), "no failure " + what + ": " + end.failed().getNow(null));
            assertEquals(DtlsSessionState.ESTABLISHED, end.session().state(), "both sessions stay established " + what);
        }
    }
}
