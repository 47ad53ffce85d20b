package org.dtls4j.wolfssl;

import static org.assertj.core.api.Assertions.assertThat;

import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/**
 * A server context resumes only DTLS 1.2 sessions it made itself ({@link ServerSessions}):
 * wolfSSL's session cache is one for the whole process and matches a session ID to nothing
 * but the protocol version, so without the check a session made with one context resumes on
 * another (this test fails then: the second server reports a resumption).
 */
@NeedsWolfSsl
class CrossContextResumptionTest {

    @Test
    void aSessionOfOneServerContextDoesNotResumeOnAnother() {
        WolfSslProvider provider = new WolfSslProvider();
        DtlsConfig serverConfig = TckPki.get().serverConfig().build();
        try (DtlsContext client = provider.newContext(TckPki.get().clientConfig().build());
             DtlsContext first = provider.newContext(serverConfig);
             DtlsContext second = provider.newContext(serverConfig)) {
            RecordingListener c1 = new RecordingListener();
            RecordingListener s1 = new RecordingListener();
            DtlsSession cs1 = client.newClientSession(SessionPair.SERVER_ADDRESS, c1);
            DtlsSession ss1 = first.newServerSession(SessionPair.CLIENT_ADDRESS, s1);
            ss1.beginHandshake();
            cs1.beginHandshake();
            RecordingListener.pump(cs1, c1, ss1, s1);
            assertThat(cs1.state()).as("the first handshake: %s", c1.failed().getNow(null))
                    .isEqualTo(DtlsSessionState.ESTABLISHED);
            cs1.close();
            ss1.close();

            RecordingListener c2 = new RecordingListener();
            RecordingListener s2 = new RecordingListener();
            DtlsSession cs2 = client.newClientSession(SessionPair.SERVER_ADDRESS, c2); // offers the first session
            DtlsSession ss2 = second.newServerSession(SessionPair.CLIENT_ADDRESS, s2);
            ss2.beginHandshake();
            cs2.beginHandshake();
            RecordingListener.pump(cs2, c2, ss2, s2);
            assertThat(ss2.state()).as("the other context's server must not resume the first session")
                    .isEqualTo(DtlsSessionState.FAILED);
            assertThat(s2.failed().join()).isInstanceOfSatisfying(DtlsAlertException.class,
                    e -> assertThat(e.alert()).isEqualTo(DtlsAlert.HANDSHAKE_FAILURE));
            assertThat(s2.established()).isNotDone();
        }
    }
}
