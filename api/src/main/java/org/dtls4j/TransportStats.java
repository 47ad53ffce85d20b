package org.dtls4j;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link DtlsServer} or one {@link DtlsConnection}, read as a snapshot.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TransportStats {

    /** Why a datagram was dropped. */
    public enum DropReason {
        /** Shorter than a record header, or a length that runs past the datagram. */
        MALFORMED,
        /** From an unknown peer and not a handshake record. */
        NOT_HANDSHAKE,
        /** A record version that is not DTLS. */
        BAD_VERSION,
        /** From an unknown peer and not in epoch 0. */
        NOT_EPOCH_ZERO,
        /** From an unknown peer and not a ClientHello. */
        NOT_CLIENT_HELLO,
        /** A later fragment of a ClientHello whose first fragment carried no valid cookie. */
        NOT_FIRST_FRAGMENT,
        /** A ClientHello fragment that ends before the cookie and the fields it binds. */
        TRUNCATED,
        /** Answering would have sent more bytes than came in. */
        AMPLIFICATION,
        /** A new handshake beyond {@link TransportOptions#maxHandshakes()}. */
        HANDSHAKE_LIMIT,
        /** A new peer beyond {@link TransportOptions#maxSessions()}. */
        SESSION_LIMIT,
        /** Dropped by a session (unauthenticated, replayed, unknown epoch, ...). */
        SESSION,
        /** A received record that did not fit the connection's receive queue. */
        RECEIVE_QUEUE_FULL,
        /** The socket's send buffer was full. */
        SEND_BUFFER_FULL,
        /** An ICMP-driven error, ignored. */
        ICMP,
        /**
         * A ClientHello offering DTLS 1.3 to a server configured for it, whose backend makes no
         * HelloRetryRequest cookie ({@link org.dtls4j.spi.HelloRetryCookies}) or none for this
         * ClientHello.
         */
        NO_HELLO_RETRY,
        /**
         * The fragments held of a cookie-less DTLS 1.3 ClientHello, evicted by newer clients'
         * before they were whole (the listener holds a bounded number).
         */
        HELD_HELLO_EVICTED,
        /**
         * A record whose connection ID no live session of the server holds (RFC 9146 section 6:
         * it belongs to no association, whatever address it comes from).
         */
        UNKNOWN_CONNECTION_ID,
        /**
         * A stranger's ClientHello numbered above 2 (message_seq): no client sends one before
         * its cookie verifies (RFC 6347 section 4.2.2; OpenSSL's {@code DTLSv1_listen} drops it too).
         */
        MESSAGE_SEQ_TOO_HIGH,
        /**
         * A datagram (or timer) a session threw on instead of handling: a backend's bug on
         * hostile input. That session ended at once, as a failed one; no other peer noticed.
         */
        SESSION_ERROR
    }

    private final Map<Counter, Long> values;
    private final Map<DropReason, Long> dropped;

    /** What is counted. */
    enum Counter {
        DATAGRAMS_IN, DATAGRAMS_OUT, COOKIES_SENT, COOKIES_VERIFIED, COOKIES_REJECTED, HANDSHAKES_STARTED,
        HANDSHAKES_COMPLETED, HANDSHAKES_FAILED, RETRANSMISSIONS, LIVE_SESSIONS, RECORDS_IN, RECORDS_OUT, MIGRATIONS,
        HANDOFFS
    }

    TransportStats(Map<Counter, Long> values, Map<DropReason, Long> dropped) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        this.dropped = Collections.unmodifiableMap(new EnumMap<>(dropped));
    }

    /** {@return the number of datagrams received} */
    public long datagramsIn() {
        return get(Counter.DATAGRAMS_IN);
    }

    /** {@return the number of datagrams sent} */
    public long datagramsOut() {
        return get(Counter.DATAGRAMS_OUT);
    }

    /** {@return the number of HelloVerifyRequests sent} */
    public long cookiesSent() {
        return get(Counter.COOKIES_SENT);
    }

    /** {@return the number of ClientHellos whose cookie verified} */
    public long cookiesVerified() {
        return get(Counter.COOKIES_VERIFIED);
    }

    /**
     * {@return the number of ClientHellos that carried a cookie that did not verify (each answered
     * with a fresh one)}
     */
    public long cookiesRejected() {
        return get(Counter.COOKIES_REJECTED);
    }

    /** {@return the number of handshakes begun: for a server, peers whose cookie verified} */
    public long handshakesStarted() {
        return get(Counter.HANDSHAKES_STARTED);
    }

    /** {@return the number of handshakes that completed} */
    public long handshakesCompleted() {
        return get(Counter.HANDSHAKES_COMPLETED);
    }

    /**
     * {@return the number of handshakes that failed before they completed: by an alert, by the
     * handshake timeout, or because no session could be made}
     */
    public long handshakesFailed() {
        return get(Counter.HANDSHAKES_FAILED);
    }

    /** {@return the number of datagrams a session sent again because its retransmission timer fired} */
    public long retransmissions() {
        return get(Counter.RETRANSMISSIONS);
    }

    /** {@return the number of sessions in the peer table now (handshaking or established)} */
    public long liveSessions() {
        return get(Counter.LIVE_SESSIONS);
    }

    /** {@return the number of application records received and delivered} */
    public long recordsIn() {
        return get(Counter.RECORDS_IN);
    }

    /** {@return the number of application records sent} */
    public long recordsOut() {
        return get(Counter.RECORDS_OUT);
    }

    /**
     * {@return how many times a session's peer address moved: a record that carried the server's
     * connection ID came from a new address, authenticated, and was newer than every record before
     * it (RFC 9146 section 6, RFC 9147 section 9)}
     */
    public long migrations() {
        return get(Counter.MIGRATIONS);
    }

    /**
     * Datagrams one I/O thread read and handed to another because the session they belong to
     * is driven there: with {@link TransportOptions#ioThreads()} above 1, a record whose
     * connection ID names a session of another thread's socket (its client's NAT rebound, and
     * the kernel spread the new address to another socket); where {@code SO_REUSEPORT} is not
     * available, every datagram of a session the one reading thread does not drive.
     *
     * @return the number of datagrams handed from one I/O thread to another
     * @since 0.2
     */
    public long handoffs() {
        return get(Counter.HANDOFFS);
    }

    /**
     * {@return the number of datagrams dropped for {@code reason}}
     *
     * @param reason the reason to count
     */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** {@return the number of datagrams dropped for any reason} */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    private long get(Counter c) {
        return values.getOrDefault(c, 0L);
    }

    @Override
    public String toString() {
        return "TransportStats" + values + " dropped=" + dropped;
    }

    /**
     * The live counters behind snapshots. A connection's counters have its server's as
     * parent: each event is counted once, where it happens, and the parent sees it too, so
     * a server's stats are its own events plus its connections'. A server's (or a client's)
     * own counters are {@link LongAdder}s, which many threads add to without contention; a
     * connection's are one {@link AtomicLongArray}, about 300 bytes instead of 1.3 KiB of
     * adders and maps, since a hundred thousand connections each keep theirs. Thread-safe.
     */
    static final class Counters {
        private static final Counter[] COUNTERS = Counter.values();
        private static final DropReason[] REASONS = DropReason.values();

        /** A root's counters, then its drop reasons; null for a connection's. */
        private final LongAdder[] adders;
        /** A connection's counters, then its drop reasons; null for a root's. */
        private final AtomicLongArray cells;
        /** The server's counters under a connection's; null for a server's or a client's. */
        private final Counters parent;
        /** A root's drops, sampled into JFR events; null for a connection's (its root reports them). */
        private final TransportEvents.Drops drops;

        /** Counters of their own (a server's, or a client connection's). */
        Counters() {
            this.parent = null;
            this.cells = null;
            this.drops = new TransportEvents.Drops();
            this.adders = new LongAdder[COUNTERS.length + REASONS.length];
            for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
            }
        }

        /** A connection's counters, whose every event {@code parent} counts too. */
        Counters(Counters parent) {
            this.parent = parent;
            this.adders = null;
            this.drops = null;
            this.cells = new AtomicLongArray(COUNTERS.length + REASONS.length);
        }

        private void add(int index, long n) {
            if (adders != null) {
                adders[index].add(n);
            } else {
                cells.addAndGet(index, n);
            }
        }

        private long get(int index) {
            return adders != null ? adders[index].sum() : cells.get(index);
        }

        void add(Counter c, long n) {
            add(c.ordinal(), n);
            if (parent != null) {
                parent.add(c, n);
            }
        }

        void inc(Counter c) {
            add(c, 1);
        }

        void drop(DropReason r) {
            drop(r, 1);
        }

        void drop(DropReason r, long n) {
            if (parent == null) {
                drops.dropped(r, n); // the JFR event first: once the counter shows a drop, its event is in
            }
            add(COUNTERS.length + r.ordinal(), n);
            if (parent != null) {
                parent.drop(r, n);
            }
        }

        /** The current value of {@code c}, without a snapshot. */
        long value(Counter c) {
            return get(c.ordinal());
        }

        /** Reports as a JFR event every drop the sampling still holds back (on a root's close). */
        void flushDropEvents() {
            if (drops != null) {
                drops.flush();
            }
        }

        TransportStats snapshot() {
            EnumMap<Counter, Long> v = new EnumMap<>(Counter.class);
            for (Counter c : COUNTERS) {
                v.put(c, get(c.ordinal()));
            }
            EnumMap<DropReason, Long> d = new EnumMap<>(DropReason.class);
            for (DropReason r : REASONS) {
                long n = get(COUNTERS.length + r.ordinal());
                if (n != 0) {
                    d.put(r, n);
                }
            }
            return new TransportStats(v, d);
        }
    }
}
