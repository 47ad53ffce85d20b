package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.dtls4j.TransportStats.DropReason;

/**
 * The JDK Flight Recorder events of the transport, named {@code org.dtls4j.*}, and the calls
 * that emit them. The transport emits them where the facts live (a connection's handshake,
 * alerts and moves; the listener's cookies; every root {@link TransportStats.Counters}' drops),
 * so every provider gets them with no code of its own.
 *
 * <p>Each call first asks whether its event is enabled, and a disabled event costs that
 * question (a JIT intrinsic) and nothing else: no allocation, no clock read. None of them is
 * on the per-record path. Stack traces are off: the events say where they come from.
 *
 * <p>Thread-safe: static methods over events made and committed on the calling thread; a
 * {@link Drops} is shared by the threads of one root counter set.
 */
final class TransportEvents {

    private static final String CATEGORY = "dtls4j";

    private TransportEvents() {
    }

    /** A handshake: begun when the transport starts it, committed when it ends, whatever the outcome. */
    @Name("org.dtls4j.Handshake")
    @Label("DTLS Handshake")
    @Category(CATEGORY)
    @Description("One DTLS handshake driven by the dtls4j transport, from its start to its end (established, failed or"
            + " abandoned)")
    @StackTrace(false)
    static final class Handshake extends Event {
        @Label("Provider")
        String provider;
        @Label("Role")
        @Description("client or server")
        String role;
        @Label("Peer")
        String peer;
        @Label("Protocol Version")
        @Description("The negotiated version; empty unless established")
        String protocolVersion;
        @Label("Cipher Suite")
        @Description("The negotiated suite's IANA name; empty unless established")
        String cipherSuite;
        @Label("Resumed")
        boolean resumed;
        @Label("Outcome")
        @Description("established, failed (see Failure) or abandoned (closed before it completed)")
        String outcome;
        @Label("Failure")
        @Description("Why it failed; empty unless the outcome is failed")
        String failure;
        @Label("Retransmissions")
        @Description("Datagrams this side sent again because its retransmission timer fired")
        long retransmissions;
    }

    /** An alert this side sent or received, fatal or close_notify. */
    @Name("org.dtls4j.Alert")
    @Label("DTLS Alert")
    @Category(CATEGORY)
    @Description("A DTLS alert this side sent or received: a fatal alert that ended the session, or a close_notify")
    @StackTrace(false)
    static final class Alert extends Event {
        @Label("Provider")
        String provider;
        @Label("Peer")
        String peer;
        @Label("Sent")
        @Description("true if this side sent the alert, false if the peer did")
        boolean sent;
        @Label("Level")
        @Description("fatal or warning")
        String level;
        @Label("Description")
        @Description("The alert's RFC name, such as bad_certificate or close_notify")
        String description;
        @Label("Code")
        int code;
    }

    /** A ClientHello whose cookie did not verify. */
    @Name("org.dtls4j.CookieRejected")
    @Label("DTLS Cookie Rejected")
    @Category(CATEGORY)
    @Description("A ClientHello returned a cookie that did not verify (forged, expired, or from another address); no"
            + " session was made")
    @StackTrace(false)
    static final class CookieRejected extends Event {
        @Label("Peer")
        String peer;
        @Label("Exchange")
        @Description("HelloVerifyRequest (DTLS 1.0 and 1.2: answered with a fresh cookie) or HelloRetryRequest"
                + " (DTLS 1.3: dropped, since a client aborts on a second one)")
        String exchange;
    }

    /** Datagrams dropped for one reason, sampled: at most one event per reason per period per counter set. */
    @Name("org.dtls4j.DatagramDropped")
    @Label("DTLS Datagrams Dropped")
    @Category(CATEGORY)
    @Description("Datagrams a server or client dropped for one reason. Sampled so a flood cannot make the recording"
            + " the bottleneck: at most one event per reason per 100 ms for each server or client connection, whose"
            + " Count covers every drop since the previous event of that reason")
    @StackTrace(false)
    static final class DatagramDropped extends Event {
        @Label("Reason")
        String reason;
        @Label("Count")
        @Description("Datagrams dropped for this reason since the previous event of it")
        long count;
    }

    /** A session's peer moved to a new address, proven by a record that carried the server's connection ID. */
    @Name("org.dtls4j.SessionMigrated")
    @Label("DTLS Session Migrated")
    @Category(CATEGORY)
    @Description("A record routed by connection ID came from a new address, authenticated and was the newest yet: the"
            + " session's peer moved there (RFC 9146 section 6)")
    @StackTrace(false)
    static final class SessionMigrated extends Event {
        @Label("Provider")
        String provider;
        @Label("From")
        String from;
        @Label("To")
        String to;
    }

    /** A handshake event begun now, or null when the event is disabled. */
    static Handshake handshakeBegun(String provider, DtlsRole role, InetSocketAddress peer) {
        Handshake e = new Handshake();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        e.provider = provider;
        e.role = role.name().toLowerCase(java.util.Locale.ROOT);
        e.peer = String.valueOf(peer);
        return e;
    }

    /**
     * Ends and commits a handshake event from {@link #handshakeBegun}; {@code info} is what it
     * negotiated (null unless established), {@code failure} why it failed (null unless failed).
     */
    static void handshakeEnded(Handshake e, DtlsSessionInfo info, DtlsException failure, long retransmissions) {
        e.end();
        if (!e.shouldCommit()) {
            return;
        }
        e.outcome = info != null ? "established" : failure != null ? "failed" : "abandoned";
        e.protocolVersion = info != null ? info.protocolVersion().standardName() : "";
        e.cipherSuite = info != null ? info.cipherSuite() : "";
        e.resumed = info != null && info.resumed();
        e.failure = failure != null ? failure.getMessage() : "";
        e.retransmissions = retransmissions;
        e.commit();
    }

    /** An alert sent ({@code sent}) or received, of level fatal ({@code fatal}) or warning. */
    static void alert(String provider, InetSocketAddress peer, boolean sent, boolean fatal, DtlsAlert alert) {
        Alert e = new Alert();
        if (!e.shouldCommit()) {
            return;
        }
        e.provider = provider;
        e.peer = String.valueOf(peer);
        e.sent = sent;
        e.level = fatal ? "fatal" : "warning";
        e.description = alert.toString();
        e.code = alert.code();
        e.commit();
    }

    /** A cookie from {@code peer} did not verify, in the DTLS 1.3 exchange if {@code helloRetry}. */
    static void cookieRejected(InetSocketAddress peer, boolean helloRetry) {
        CookieRejected e = new CookieRejected();
        if (!e.shouldCommit()) {
            return;
        }
        e.peer = String.valueOf(peer);
        e.exchange = helloRetry ? "HelloRetryRequest" : "HelloVerifyRequest";
        e.commit();
    }

    /** The peer of a session of {@code provider} moved from {@code from} to {@code to}. */
    static void migrated(String provider, InetSocketAddress from, InetSocketAddress to) {
        SessionMigrated e = new SessionMigrated();
        if (!e.shouldCommit()) {
            return;
        }
        e.provider = provider;
        e.from = String.valueOf(from);
        e.to = String.valueOf(to);
        e.commit();
    }

    /**
     * The drops of one root counter set, sampled into {@link DatagramDropped} events: the first
     * drop of a reason after a quiet period is reported at once; later ones within
     * {@link #PERIOD_NANOS} wait, counted, for the next event of that reason (or
     * {@link #flush}). Thread-safe, lock-free; it keeps two longs per reason.
     */
    static final class Drops {
        static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
        private static final DropReason[] REASONS = DropReason.values();

        /** Per reason: drops not yet reported. */
        private final AtomicLongArray pending = new AtomicLongArray(REASONS.length);
        /** Per reason: when the next event may be committed ({@link System#nanoTime()}). */
        private final AtomicLongArray nextAt = new AtomicLongArray(REASONS.length);

        Drops() {
            long now = System.nanoTime();
            for (int i = 0; i < REASONS.length; i++) {
                nextAt.set(i, now);
            }
        }

        /** {@code n} datagrams dropped for {@code reason}. */
        void dropped(DropReason reason, long n) {
            if (!new DatagramDropped().isEnabled()) {
                return;
            }
            int i = reason.ordinal();
            pending.addAndGet(i, n);
            long now = System.nanoTime();
            long due = nextAt.get(i);
            if (now - due >= 0 && nextAt.compareAndSet(i, due, now + PERIOD_NANOS)) {
                commit(reason, pending.getAndSet(i, 0));
            }
        }

        /** Reports every drop still pending (when the server or connection closes). */
        void flush() {
            for (DropReason r : REASONS) {
                long n = pending.getAndSet(r.ordinal(), 0);
                if (n != 0) {
                    commit(r, n);
                }
            }
        }

        private static void commit(DropReason reason, long n) {
            DatagramDropped e = new DatagramDropped();
            if (n != 0 && e.shouldCommit()) {
                e.reason = reason.name();
                e.count = n;
                e.commit();
            }
        }
    }
}
