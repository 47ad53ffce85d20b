package org.dtls4j.tck;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsSession;

/**
 * One handshake between a client session of one context and a server session of another,
 * pumped in memory ({@link RecordingListener#pump}) until neither has anything to send, with
 * both ends' events: for provider tests that cycle many handshakes (native leak tests) or
 * look at one closely. The client talks to {@link SessionPair#SERVER_ADDRESS}, the server
 * hears {@link SessionPair#CLIENT_ADDRESS}.
 *
 * <p>Not thread-safe: driven by the test's thread.
 *
 * @param client the client session
 * @param clientEvents what the client reported
 * @param server the server session
 * @param serverEvents what the server reported
 * @since 0.1
 */
public record InMemoryHandshake(DtlsSession client, RecordingListener clientEvents, DtlsSession server,
                                RecordingListener serverEvents) implements AutoCloseable {

    /**
     * Runs the handshake; it may have failed (see the events).
     *
     * @param client the client's context
     * @param server the server's context
     * @return the two sessions and their events, once both are quiet
     */
    public static InMemoryHandshake run(DtlsContext client, DtlsContext server) {
        return run(client, server, SessionPair.SERVER_ADDRESS);
    }

    /**
     * Runs the handshake with the client talking to {@code serverAddress} (a client context
     * caches sessions by it: another address each time means full handshakes).
     *
     * @param client the client's context
     * @param server the server's context
     * @param serverAddress the address the client session is made for
     * @return the two sessions and their events, once both are quiet
     */
    public static InMemoryHandshake run(DtlsContext client, DtlsContext server, InetSocketAddress serverAddress) {
        RecordingListener c = new RecordingListener();
        RecordingListener s = new RecordingListener();
        DtlsSession cs = client.newClientSession(serverAddress, c);
        DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
        ss.beginHandshake();
        cs.beginHandshake();
        RecordingListener.pump(cs, c, ss, s);
        return new InMemoryHandshake(cs, c, ss, s);
    }

    /**
     * Sends {@code record} from the client and pumps until both ends are quiet.
     *
     * @param record the application record to send
     */
    public void clientSends(byte[] record) {
        client.send(ByteBuffer.wrap(record));
        pump();
    }

    /** Pumps until neither end has anything to send. */
    public void pump() {
        RecordingListener.pump(client, clientEvents, server, serverEvents);
    }

    /**
     * Ends the association in one of the three ways a peer can, chosen by {@code cycle}: the
     * client's close_notify delivered (then the server must have seen it), both ends closing
     * at once, or the client's close_notify lost and the server closed on its own.
     *
     * @param cycle any number; its remainder by three picks the way
     * @return whether the server saw the client's close_notify, in the way that delivers it
     */
    public boolean endOneOfThreeWays(int cycle) {
        switch (Math.floorMod(cycle, 3)) {
            case 0 -> {
                client.close();
                pump();
                return serverEvents.closed().isDone();
            }
            case 1 -> {
                server.close();
                client.close();
            }
            default -> {
                client.close(); // and the server session ends when its peer's close_notify is lost
                server.close();
            }
        }
        return true;
    }

    /** Closes both sessions. */
    @Override
    public void close() {
        client.close();
        server.close();
    }
}
