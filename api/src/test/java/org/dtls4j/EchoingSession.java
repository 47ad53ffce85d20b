package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A session without cryptography. A client's handshake sends one datagram; a server's first
 * datagram completes the handshake with one datagram in answer, a client's completes it
 * without; later datagrams are records; a record sent is one datagram. Confined to the loop.
 * Tests extend it to break one method.
 */
class EchoingSession implements DtlsSession {
    private final DtlsRole role;
    private final DtlsSessionListener listener;
    private DtlsSessionState state = DtlsSessionState.NEW;

    /** A context whose sessions of {@code role} are echoing sessions; it makes none of the other role. */
    static DtlsContext context(DtlsRole role) {
        return new DtlsContext() {
            private final DtlsConfig config = DtlsConfig.builder().build();

            @Override
            public String providerName() {
                return "echo";
            }

            @Override
            public DtlsConfig config() {
                return config;
            }

            @Override
            public DtlsSession newClientSession(InetSocketAddress peer, DtlsSessionListener listener) {
                return newSession(DtlsRole.CLIENT, listener);
            }

            @Override
            public DtlsSession newServerSession(InetSocketAddress peer, DtlsSessionListener listener) {
                return newSession(DtlsRole.SERVER, listener);
            }

            private DtlsSession newSession(DtlsRole asked, DtlsSessionListener listener) {
                if (asked != role) {
                    throw new UnsupportedOperationException("this context makes " + role + " sessions only");
                }
                return new EchoingSession(role, listener);
            }

            @Override
            public void close() {
            }
        };
    }

    EchoingSession(DtlsRole role, DtlsSessionListener listener) {
        this.role = role;
        this.listener = listener;
    }

    @Override
    public DtlsRole role() {
        return role;
    }

    @Override
    public DtlsSessionState state() {
        return state;
    }

    @Override
    public void beginHandshake() {
        state = DtlsSessionState.HANDSHAKING;
        if (role == DtlsRole.CLIENT) {
            listener.onDatagram(ByteBuffer.wrap(new byte[] {22, 1}));
        }
    }

    @Override
    public void receive(ByteBuffer datagram) {
        if (state == DtlsSessionState.HANDSHAKING) {
            datagram.position(datagram.limit());
            if (role == DtlsRole.SERVER) {
                listener.onDatagram(ByteBuffer.wrap(new byte[] {22, 2}));
            }
            state = DtlsSessionState.ESTABLISHED;
            listener.onHandshakeComplete(info().orElseThrow());
            return;
        }
        datagram.get();
        listener.onRecord(datagram.slice());
        datagram.position(datagram.limit());
    }

    @Override
    public void send(ByteBuffer record) {
        ByteBuffer d = ByteBuffer.allocate(1 + record.remaining()).put((byte) 23).put(record).flip();
        listener.onDatagram(d);
    }

    @Override
    public int maxRecordSize() {
        return 1000;
    }

    @Override
    public long nextTimeout() {
        return NO_TIMEOUT;
    }

    @Override
    public void handleTimeout() {
    }

    @Override
    public Optional<DtlsSessionInfo> info() {
        return Optional.of(DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, "TLS_NULL_WITH_NULL_NULL").build());
    }

    @Override
    public long droppedDatagrams() {
        return 0;
    }

    @Override
    public void close() {
        state = DtlsSessionState.CLOSED;
    }
}
