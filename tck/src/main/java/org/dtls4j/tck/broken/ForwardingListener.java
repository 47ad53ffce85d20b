package org.dtls4j.tck.broken;

import java.nio.ByteBuffer;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;

/** A listener that forwards everything to another; breakages override what they break. */
class ForwardingListener implements DtlsSessionListener {

    final DtlsSessionListener delegate;

    ForwardingListener(DtlsSessionListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onDatagram(ByteBuffer datagram) {
        delegate.onDatagram(datagram);
    }

    @Override
    public void onRecord(ByteBuffer record) {
        delegate.onRecord(record);
    }

    @Override
    public void onHandshakeComplete(DtlsSessionInfo info) {
        delegate.onHandshakeComplete(info);
    }

    @Override
    public void onClosed() {
        delegate.onClosed();
    }

    @Override
    public void onFailed(DtlsException failure) {
        delegate.onFailed(failure);
    }

    @Override
    public void onTimeoutChanged() {
        delegate.onTimeoutChanged();
    }

    @Override
    public void onNewestRecordAuthenticated() {
        delegate.onNewestRecordAuthenticated();
    }
}
