package org.dtls4j;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
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
        UNKNOWN_CONNECTION_ID
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

    public long datagramsIn() {
        return get(Counter.DATAGRAMS_IN);
    }

    public long datagramsOut() {
        return get(Counter.DATAGRAMS_OUT);
    }

    /** HelloVerifyRequests sent. */
    public long cookiesSent() {
        return get(Counter.COOKIES_SENT);
    }

    /** ClientHellos whose cookie verified. */
    public long cookiesVerified() {
        return get(Counter.COOKIES_VERIFIED);
    }

    /** ClientHellos that carried a cookie that did not verify (each answered with a fresh one). */
    public long cookiesRejected() {
        return get(Counter.COOKIES_REJECTED);
    }

    public long handshakesStarted() {
        return get(Counter.HANDSHAKES_STARTED);
    }

    public long handshakesCompleted() {
        return get(Counter.HANDSHAKES_COMPLETED);
    }

    public long handshakesFailed() {
        return get(Counter.HANDSHAKES_FAILED);
    }

    /** Datagrams a session sent again because its retransmission timer fired. */
    public long retransmissions() {
        return get(Counter.RETRANSMISSIONS);
    }

    /** Sessions in the peer table now (handshaking or established). */
    public long liveSessions() {
        return get(Counter.LIVE_SESSIONS);
    }

    public long recordsIn() {
        return get(Counter.RECORDS_IN);
    }

    public long recordsOut() {
        return get(Counter.RECORDS_OUT);
    }

    /**
     * Times a session's peer address moved: a record that carried the server's connection ID
     * came from a new address, authenticated, and was newer than every record before it
     * (RFC 9146 section 6, RFC 9147 section 9).
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

    /** Datagrams dropped, by reason. */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** Datagrams dropped for any reason. */
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
     * a server's stats are its own events plus its connections'. Thread-safe.
     */
    static final class Counters {
        private final EnumMap<Counter, LongAdder> values = new EnumMap<>(Counter.class);
        private final EnumMap<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
        /** The server's counters under a connection's; null for a server's or a client's. */
        private final Counters parent;

        /** Counters of their own (a server's, or a client connection's). */
        Counters() {
            this(null);
        }

        /** A connection's counters, whose every event {@code parent} counts too. */
        Counters(Counters parent) {
            this.parent = parent;
            for (Counter c : Counter.values()) {
                values.put(c, new LongAdder());
            }
            for (DropReason r : DropReason.values()) {
                dropped.put(r, new LongAdder());
            }
        }

        void add(Counter c, long n) {
            values.get(c).add(n);
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
            dropped.get(r).add(n);
            if (parent != null) {
                parent.drop(r, n);
            }
        }

        TransportStats snapshot() {
            EnumMap<Counter, Long> v = new EnumMap<>(Counter.class);
            values.forEach((k, a) -> v.put(k, a.sum()));
            EnumMap<DropReason, Long> d = new EnumMap<>(DropReason.class);
            dropped.forEach((k, a) -> {
                long n = a.sum();
                if (n != 0) {
                    d.put(k, n);
                }
            });
            return new TransportStats(v, d);
        }
    }
}
