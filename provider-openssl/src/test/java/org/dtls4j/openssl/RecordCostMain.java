package org.dtls4j.openssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.tck.SessionPair;
import org.dtls4j.tck.TckPki;

/**
 * A manual measurement, not a test: the cost of one 1200-byte record through OpenSSL from
 * the JVM, raw (SSL_write, BIO_read, BIO_write, SSL_read on reused native buffers) and
 * through the session API. Compare with {@code src/test/c/record_cost.c}.
 *
 * <pre>java -cp target/classes:target/test-classes:$CP org.dtls4j.openssl.RecordCostMain [records]</pre>
 */
public final class RecordCostMain {

    private RecordCostMain() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (DtlsContext client = new OpenSslProvider().newContext(TckPki.get().clientConfig().build());
             DtlsContext server = new OpenSslProvider().newContext(TckPki.get().serverConfig().build())) {
            raw((OpenSslContext) client, (OpenSslContext) server, n / 5); // warm-up
            double rawNs = raw((OpenSslContext) client, (OpenSslContext) server, n);
            sessions(client, server, n / 5);
            double sessionNs = sessions(client, server, n);
            for (int i = 0; i < 2_000_000; i++) {
                LibSsl.ERR_clear_error();
            }
            long t = System.nanoTime();
            for (int i = 0; i < 10_000_000; i++) {
                LibSsl.ERR_clear_error();
            }
            System.out.printf("one direct-mapped call (ERR_clear_error): %.0f ns%n", (System.nanoTime() - t) / 1e7);
            System.out.printf("1200-byte records: raw JNA loop %.0f ns/record, session API %.0f ns/record (%d records)%n",
                    rawNs, sessionNs, n);
        }
    }

    private static double raw(OpenSslContext client, OpenSslContext server, int n) {
        Pointer c = LibSsl.SSL_new(client.ctx());
        Pointer s = LibSsl.SSL_new(server.ctx());
        Pointer cr = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        Pointer cw = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        Pointer sr = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        Pointer sw = LibSsl.BIO_new(LibSsl.BIO_s_mem());
        for (Pointer b : new Pointer[] {cr, cw, sr, sw}) {
            LibSsl.BIO_ctrl(b, LibSsl.BIO_C_SET_BUF_MEM_EOF_RETURN, -1, null);
        }
        LibSsl.SSL_set_bio(c, cr, cw);
        LibSsl.SSL_set_bio(s, sr, sw);
        LibSsl.SSL_set_verify(c, LibSsl.SSL_VERIFY_NONE, null);
        // the contexts set SSL_OP_NO_QUERY_MTU: without a link MTU, DTLS writes fail
        LibSsl.SSL_ctrl(c, LibSsl.DTLS_CTRL_SET_LINK_MTU, 1400, null);
        LibSsl.SSL_ctrl(s, LibSsl.DTLS_CTRL_SET_LINK_MTU, 1400, null);
        LibSsl.SSL_set_connect_state(c);
        LibSsl.SSL_set_accept_state(s);
        try (Memory buf = new Memory(20_000); Memory plain = new Memory(20_000)) {
            LibSsl.SSL_do_handshake(c);
            for (int i = 0; i < 20; i++) {
                move(cw, sr, s, buf);
                move(sw, cr, c, buf);
            }
            if (LibSsl.SSL_do_handshake(c) != 1 || LibSsl.SSL_do_handshake(s) != 1) {
                int rc = LibSsl.SSL_do_handshake(c);
                int rs = LibSsl.SSL_do_handshake(s);
                throw new IllegalStateException("no handshake: client " + LibSsl.SSL_get_error(c, rc) + " server "
                        + LibSsl.SSL_get_error(s, rs) + " pending " + LibSsl.BIO_ctrl_pending(cw) + "/"
                        + LibSsl.BIO_ctrl_pending(sw) + " " + OpenSslErrors.drain());
            }
            LibSsl.ERR_clear_error();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                LibSsl.SSL_write(c, plain, 1200);
                int len = LibSsl.BIO_read(cw, buf, 20_000);
                LibSsl.BIO_write(sr, buf, len);
                if (LibSsl.SSL_read(s, plain, 20_000) != 1200) {
                    throw new IllegalStateException("record " + i + " lost");
                }
            }
            return (System.nanoTime() - start) / (double) n;
        } finally {
            LibSsl.SSL_free(c);
            LibSsl.SSL_free(s);
        }
    }

    /** Moves what one SSL wrote to the other one record (one datagram) at a time. */
    private static void move(Pointer from, Pointer to, Pointer toSsl, Memory buf) {
        int len;
        while ((len = LibSsl.BIO_read(from, buf, 20_000)) > 0) {
            for (int at = 0; at < len; ) {
                int n = 13 + (((buf.getByte(at + 11) & 0xff) << 8) | (buf.getByte(at + 12) & 0xff));
                LibSsl.BIO_write(to, buf.share(at), n);
                LibSsl.SSL_do_handshake(toSsl);
                at += n;
            }
        }
    }

    /** Queues datagrams during the handshake, then hands each straight to the peer session. */
    private static final class Forward implements DtlsSessionListener {
        final java.util.ArrayDeque<byte[]> queue = new java.util.ArrayDeque<>();
        DtlsSession peer;
        boolean direct;
        int records;

        @Override
        public void onDatagram(ByteBuffer datagram) {
            if (direct) {
                peer.receive(datagram);
            } else {
                byte[] b = new byte[datagram.remaining()];
                datagram.get(b);
                queue.add(b);
            }
        }

        @Override
        public void onRecord(ByteBuffer record) {
            records++;
        }

        @Override
        public void onFailed(DtlsException failure) {
            throw failure;
        }
    }

    private static double sessions(DtlsContext client, DtlsContext server, int n) {
        Forward c = new Forward();
        Forward s = new Forward();
        DtlsSession cs = client.newClientSession(SessionPair.SERVER_ADDRESS, c);
        DtlsSession ss = server.newServerSession(SessionPair.CLIENT_ADDRESS, s);
        c.peer = ss;
        s.peer = cs;
        ss.beginHandshake();
        cs.beginHandshake();
        for (int i = 0; i < 1000 && !(c.queue.isEmpty() && s.queue.isEmpty()); i++) {
            byte[] d = c.queue.poll();
            if (d != null) {
                ss.receive(ByteBuffer.wrap(d));
            }
            d = s.queue.poll();
            if (d != null) {
                cs.receive(ByteBuffer.wrap(d));
            }
        }
        c.direct = true;
        ByteBuffer record = ByteBuffer.allocateDirect(1200);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            record.clear();
            cs.send(record);
        }
        double ns = (System.nanoTime() - start) / (double) n;
        if (s.records != n) {
            throw new IllegalStateException("delivered " + s.records + " of " + n);
        }
        cs.close();
        ss.close();
        return ns;
    }
}
