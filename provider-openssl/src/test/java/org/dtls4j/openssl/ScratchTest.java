package org.dtls4j.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.tck.InMemoryHandshake;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;
import org.junit.jupiter.api.Test;

/** The per-thread native buffers sessions borrow ({@link Scratch}): a delivered record stays intact whatever the listener sends meanwhile. */
class ScratchTest {

    /**
     * A server that, while a record is delivered to it, sends on its own session and another
     * session's client sends too: the record it is reading is unchanged throughout.
     */
    @Test
    void sendingFromInsideOnRecordLeavesTheDeliveredRecordIntact() {
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().build());
             InMemoryHandshake other = InMemoryHandshake.run(client, server)) {
            List<String> seen = new ArrayList<>();
            DtlsSession[] self = new DtlsSession[1];
            RecordingListener serverEvents = new RecordingListener() {
                @Override
                public void onRecord(ByteBuffer record) {
                    String before = StandardCharsets.US_ASCII.decode(record.duplicate()).toString();
                    self[0].send(ByteBuffer.wrap("a reply of another length".getBytes(StandardCharsets.US_ASCII)));
                    other.client().send(ByteBuffer.wrap("from another session".getBytes(StandardCharsets.US_ASCII)));
                    String after = StandardCharsets.US_ASCII.decode(record.duplicate()).toString();
                    seen.add(before + "|" + after);
                    super.onRecord(record);
                }
            };
            RecordingListener clientEvents = new RecordingListener();
            DtlsSession c = client.newClientSession(SessionPair.SERVER_ADDRESS, clientEvents);
            DtlsSession s = server.newServerSession(SessionPair.CLIENT_ADDRESS, serverEvents);
            self[0] = s;
            try {
                s.beginHandshake();
                c.beginHandshake();
                RecordingListener.pump(c, clientEvents, s, serverEvents);
                c.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
                RecordingListener.pump(c, clientEvents, s, serverEvents);
                assertThat(seen).containsExactly("hello|hello");
                assertThat(clientEvents.records()).hasSize(1);
                other.pump();
                assertThat(other.serverEvents().records()).hasSize(1);
            } finally {
                c.close();
                s.close();
            }
        }
    }
}
