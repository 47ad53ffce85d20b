package org.dtls4j.bouncycastle;

import java.util.ArrayList;
import java.util.List;
import org.dtls4j.spi.DtlsRecords;

/**
 * The configured retransmission cap for flights BouncyCastle cannot cap itself.
 *
 * <p>bctls 1.84 starts each flight's timer at {@code getHandshakeResendTimeMillis()} and
 * doubles it on every retransmission up to a fixed 60 s ({@code DTLSReliableHandshake}'s
 * private {@code MAX_RESEND_MILLIS}), so a configured maximum below 60 s is not honoured.
 * This timer, run by {@link QueueTransport} on the handshake thread, resends flights
 * itself on the configured schedule (initial interval, doubling, capped) and drops the
 * later retransmissions BouncyCastle makes of the same flight. It can only do that for
 * flights whose records are all in epoch 0 (ClientHello, the server's hello flight, the
 * client's certificate flight without Finished): there the record sequence number is not
 * authenticated, so each copy gets a fresh number and the peer's replay window takes it.
 * Flights with an encrypted record (those ending in Finished) keep BouncyCastle's own
 * schedule, whose intervals equal the configured ones until they pass the cap.
 *
 * <p>To keep every epoch-0 sequence number unique and increasing, every epoch-0 record
 * this side sends is renumbered by the count of extra records sent so far.
 *
 * <p>Not thread-safe: used by the one thread that sends for a session at a time.
 */
final class FlightTimer {

    private final long initialNanos;
    /** When the last flight was last resent after the handshake, 0 if never. */
    private long lastFlightResend;
    private final long maxNanos;

    /** Most datagrams of the peer's last flight kept to recognise its byte-for-byte repeats. */
    static final int KEPT_PEER_DATAGRAMS = 16;

    private final List<byte[]> flight = new ArrayList<>();
    private final List<byte[]> flightAsSent = new ArrayList<>();
    private List<byte[]> inbound = new ArrayList<>();
    private List<byte[]> peerFlight = List.of();
    private boolean flightIsEpoch0;
    private boolean receivedSinceSend = true;
    private boolean retransmitting;
    private long intervalNanos;
    private long deadline;
    private long offset;

    FlightTimer(long initialNanos, long maxNanos) {
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
    }

    /** Whether this timer, not BouncyCastle, times the current flight. */
    boolean active() {
        return flightIsEpoch0 && !flight.isEmpty() && maxNanos < 60_000_000_000L;
    }

    /** The next time this timer resends the flight ({@link System#nanoTime()}), if {@link #active()}. */
    long deadline() {
        return deadline;
    }

    /**
     * After the handshake: the datagram as it goes on the wire (an epoch-0 record, such as
     * a repeated ChangeCipherSpec, renumbered; anything else unchanged, without a copy).
     */
    void sendEstablished(byte[] buf, int off, int len, QueueTransport.Sink sink) {
        if (offset == 0 || len < DtlsRecords.HEADER_SIZE || buf[off + 3] != 0 || buf[off + 4] != 0) {
            sink.send(buf, off, len);
            return;
        }
        byte[] d = new byte[len];
        System.arraycopy(buf, off, d, 0, len);
        renumber(d, offset);
        sink.send(d, 0, len);
    }

    /** A datagram from the peer was handed to BouncyCastle. */
    void received(byte[] datagram) {
        if (inbound.size() < KEPT_PEER_DATAGRAMS) {
            inbound.add(datagram);
        }
        receivedSinceSend = true;
        retransmitting = false;
    }

    /** BouncyCastle's own timer ran out: what it sends next repeats the flight. */
    void bouncyCastleTimedOut() {
        retransmitting = true;
    }

    /**
     * BouncyCastle sends a datagram.
     *
     * @return the bytes to put on the wire (renumbered), or null to drop a retransmission
     *         this timer already made
     */
    byte[] sending(byte[] buf, int off, int len, long now) {
        if (retransmitting && active()) {
            return null;
        }
        byte[] d = new byte[len];
        System.arraycopy(buf, off, d, 0, len);
        if (receivedSinceSend) {
            peerFlight = inbound;
            inbound = new ArrayList<>();
            flight.clear();
            flightAsSent.clear();
            flightIsEpoch0 = true;
            intervalNanos = initialNanos;
            receivedSinceSend = false;
        }
        if (!retransmitting) {
            flightIsEpoch0 &= allEpoch0(d);
            flight.add(d.clone());
            deadline = now + intervalNanos;
        }
        renumber(d, offset);
        if (!retransmitting) {
            flightAsSent.add(d);
        }
        return d;
    }

    /**
     * After the handshake: whether {@code d} repeats, byte for byte, a datagram of the
     * peer flight this side's last flight answered. A peer that resends its final flight
     * unchanged (same record sequence numbers, as dtls4j's JSSE provider does) is dropped as
     * a replay by BouncyCastle, which then never resends its own final flight; such a repeat
     * means the peer lost that flight.
     */
    boolean repeatsPeerFlight(byte[] d) {
        for (byte[] p : peerFlight) {
            if (java.util.Arrays.equals(p, d)) {
                return true;
            }
        }
        return false;
    }

    /** This side's last flight exactly as it went on the wire. */
    List<byte[]> lastFlightAsSent() {
        return flightAsSent;
    }

    /**
     * After the handshake, when the peer repeats its final flight: this side's last flight
     * as sent, or nothing if it was resent less than one initial interval ago.
     */
    List<byte[]> lastFlightToResend(long now) {
        if (lastFlightResend != 0 && now - lastFlightResend < initialNanos) {
            return List.of();
        }
        lastFlightResend = now;
        return flightAsSent;
    }

    /**
     * The flight's deadline has passed: its copies to send now, renumbered, and the next
     * deadline set by doubling the interval up to the maximum.
     */
    List<byte[]> resend(long now) {
        List<byte[]> out = new ArrayList<>(flight.size());
        for (byte[] d : flight) {
            offset += records(d);
            byte[] copy = d.clone();
            renumber(copy, offset);
            out.add(copy);
        }
        intervalNanos = Math.min(intervalNanos * 2, maxNanos);
        deadline = now + intervalNanos;
        return out;
    }

    private static boolean allEpoch0(byte[] d) {
        int at = 0;
        while (at + DtlsRecords.HEADER_SIZE <= d.length) {
            if (d[at + 3] != 0 || d[at + 4] != 0) {
                return false;
            }
            at += DtlsRecords.HEADER_SIZE + (((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff));
        }
        return true;
    }

    private static int records(byte[] d) {
        int n = 0;
        int at = 0;
        while (at + DtlsRecords.HEADER_SIZE <= d.length) {
            n++;
            at += DtlsRecords.HEADER_SIZE + (((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff));
        }
        return n;
    }

    /** Adds {@code offset} to the sequence number of every epoch-0 record. */
    static void renumber(byte[] d, long offset) {
        if (offset == 0) {
            return;
        }
        int at = 0;
        while (at + DtlsRecords.HEADER_SIZE <= d.length) {
            if (d[at + 3] == 0 && d[at + 4] == 0 && (d[at] & 0xff) != 25) {
                long seq = 0;
                for (int i = 5; i < 11; i++) {
                    seq = (seq << 8) | (d[at + i] & 0xff);
                }
                seq += offset;
                for (int i = 10; i >= 5; i--) {
                    d[at + i] = (byte) seq;
                    seq >>>= 8;
                }
            }
            at += DtlsRecords.HEADER_SIZE + (((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff));
        }
    }
}
