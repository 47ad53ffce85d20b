package org.dtls4j.tck.broken;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionState;

/** A session that forwards everything to another; breakages override what they break. */
class ForwardingSession implements DtlsSession {

    final DtlsSession delegate;

    ForwardingSession(DtlsSession delegate) {
        this.delegate = delegate;
    }

    @Override
    public DtlsRole role() {
        return delegate.role();
    }

    @Override
    public DtlsSessionState state() {
        return delegate.state();
    }

    @Override
    public void beginHandshake() {
        delegate.beginHandshake();
    }

    @Override
    public void receive(ByteBuffer datagram) {
        delegate.receive(datagram);
    }

    @Override
    public void send(ByteBuffer record) {
        delegate.send(record);
    }

    @Override
    public int maxRecordSize() {
        return delegate.maxRecordSize();
    }

    @Override
    public long nextTimeout() {
        return delegate.nextTimeout();
    }

    @Override
    public void handleTimeout() {
        delegate.handleTimeout();
    }

    @Override
    public Optional<DtlsSessionInfo> info() {
        return delegate.info();
    }

    @Override
    public void updateKeys() {
        delegate.updateKeys();
    }

    @Override
    public long droppedDatagrams() {
        return delegate.droppedDatagrams();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
