package org.dtls4j.wolfssl;

import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;
import org.dtls4j.tck.RecordingListener;
import org.dtls4j.tck.SessionPair;

/**
 * One handshake between a client session of one context and a server session of another,
 * pumped in memory until neither has anything to send, with both ends' events.
 */
record InMemoryHandshake(DtlsSession client, RecordingListener clientEvents, DtlsSession server,
                         RecordingListener serverEvents) implements AutoCloseable {

    /** Runs the handshake; the client talks to {@link SessionPair#SERVER_ADDRESS}. */
    static InMemoryHandshake run(DtlsContext client, DtlsContext server) {
        RecordingListener c = new RecordingListener();
        RecordingListener s = new RecordingListener();
        DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
        DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
        ss.beginHandshake();
        cs.beginHandshake();
        RecordingListener.pump(cs, c, ss, s);
        return new InMemoryHandshake(cs, c, ss, s);
    }

    /** Closes both sessions. */
    @Override
    public void close() {
        client.close();
        server.close();
    }
}
