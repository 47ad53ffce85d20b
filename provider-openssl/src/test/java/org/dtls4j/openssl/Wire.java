package org.dtls4j.openssl;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;

/** One session's end of a hand-driven in-memory link: what it emitted, delivered and reported. */
final class Wire implements DtlsSessionListener {

    final ArrayDeque<byte[]> out = new ArrayDeque<>();
    final List<byte[]> sent = new ArrayList<>();
    final List<byte[]> records = new ArrayList<>();
    DtlsSessionInfo established;
    DtlsException failed;
    boolean closed;

    @Override
    public void onDatagram(ByteBuffer datagram) {
        byte[] b = new byte[datagram.remaining()];
        datagram.get(b);
        out.add(b);
        sent.add(b);
    }

    @Override
    public void onRecord(ByteBuffer record) {
        byte[] b = new byte[record.remaining()];
        record.get(b);
        records.add(b);
    }

    @Override
    public void onHandshakeComplete(DtlsSessionInfo info) {
        established = info;
    }

    @Override
    public void onClosed() {
        closed = true;
    }

    @Override
    public void onFailed(DtlsException failure) {
        failed = failure;
    }

    /** Delivers queued datagrams both ways until both queues are empty; no loss, no timers. */
    static void pump(DtlsSession a, Wire aWire, DtlsSession b, Wire bWire) {
        for (int guard = 0; guard < 10_000 && !(aWire.out.isEmpty() && bWire.out.isEmpty()); guard++) {
            byte[] d = aWire.out.poll();
            if (d != null) {
                b.receive(ByteBuffer.wrap(d));
            }
            d = bWire.out.poll();
            if (d != null) {
                a.receive(ByteBuffer.wrap(d));
            }
        }
    }
}
