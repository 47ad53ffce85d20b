package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import java.util.List;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.DtlsRecords;

/**
 * A JSSE session's way out: every datagram the engine emits or the session resends goes
 * through here to the listener, epoch-0 records renumbered, the handshake flight kept in
 * {@link LastFlight}, and what the current call sent noted for the session (how many
 * datagrams, the last plaintext handshake type, a fatal alert).
 *
 * <p>Not thread-safe: part of one {@link JsseSession}, used on its caller's thread.
 */
final class FlightOutput {

    private static final System.Logger LOG = System.getLogger(JsseSession.class.getName());
    private static final int CERTIFICATE = 11;

    private final DtlsRole role;
    private final DtlsSessionListener listener;
    private final LastFlight lastFlight;
    private final int maxDatagramSize;

    /** Datagrams emitted during the current call. */
    private int emitted;
    /** The plaintext handshake type of the last datagram emitted, or -1. */
    private int lastHandshakeType = -1;
    /** The plaintext fatal alert emitted during the current call, or -1. */
    private int sentAlert = -1;
    /** Whether this session sent a Certificate message (epoch 0): a server's full handshake does. */
    private boolean sentCertificate;
    /** While priming the engine with a synthetic ClientHello: its answers are not for the peer. */
    private boolean suppressed;
    /**
     * The record sequence number the next epoch-0 record this session sends gets (see
     * {@link #renumberEpochZero}); a joined server session starts above the ClientHello it
     * joined with.
     */
    private long nextEpochZeroSequence;

    FlightOutput(DtlsRole role, DtlsSessionListener listener, LastFlight lastFlight, int maxDatagramSize) {
        this.role = role;
        this.listener = listener;
        this.lastFlight = lastFlight;
        this.maxDatagramSize = maxDatagramSize;
    }

    /** Starts counting what one call of the session sends. */
    void startCall() {
        emitted = 0;
        sentAlert = -1;
    }

    int emitted() {
        return emitted;
    }

    int lastHandshakeType() {
        return lastHandshakeType;
    }

    /**
     * Whether a Certificate message went out. A JSSE server sends one in every full handshake
     * (it has no PSK or anonymous suites) and none when it resumes, also from an RFC 5077 ticket
     * under a new session ID, which {@link SessionIds} cannot tell.
     */
    boolean sentCertificate() {
        return sentCertificate;
    }

    /** The fatal alert sent during the current call, or -1. */
    int sentAlert() {
        return sentAlert;
    }

    /** Whether what the engine emits is dropped (while it is primed with a synthetic ClientHello). */
    void suppress(boolean on) {
        suppressed = on;
    }

    /** A joined server session numbers its epoch-0 records from here. */
    void numberEpochZeroFrom(long sequence) {
        nextEpochZeroSequence = sequence;
    }

    /** A datagram from the engine; {@code handshaking} while the handshake runs. */
    void emit(ByteBuffer datagram, boolean handshaking) {
        if (suppressed) {
            return;
        }
        renumberEpochZero(datagram);
        if (handshaking && !lastFlight.offer(datagram)) {
            return; // JSSE's own immediate second copy of its final flight
        }
        int start = datagram.position();
        lastHandshakeType = DtlsRecords.plaintextHandshakeType(datagram, start);
        int alert = DtlsRecords.plaintextFatalAlert(datagram, start);
        if (alert >= 0) {
            sentAlert = alert;
        }
        if (datagram.remaining() > maxDatagramSize) {
            LOG.log(System.Logger.Level.WARNING, "JSSE produced a datagram of {0} bytes, above the maximum of {1}",
                    datagram.remaining(), maxDatagramSize);
        }
        emitted++;
        listener.onDatagram(datagram);
    }

    /**
     * Sends a fatal alert of this session's own, as a plaintext epoch-0 record of
     * {@code version} numbered as the engine's are, for a handshake the JDK's engine gave up
     * without one: the peer is owed it (RFC 5246 section 7.2.2) and would otherwise retransmit
     * into a session that is gone.
     */
    void emitFatalAlert(int description, int version) {
        ByteBuffer alert = ByteBuffer.allocate(DtlsRecords.HEADER_SIZE + 2);
        alert.put((byte) DtlsRecords.ALERT).putShort((short) version).putShort((short) 0).putShort((short) 0).putInt(0)
                .putShort((short) 2).put((byte) 2).put((byte) description).flip();
        emit(alert, false);
    }

    /**
     * Gives every epoch-0 record this session sends, a retransmission included, the next
     * record sequence number of its own, so that no two are alike (RFC 6347 section 4.1
     * numbers retransmitted records anew). Epoch-0 records carry no MAC and their sequence
     * numbers are not in the handshake hash, so they may be renumbered; JSSE's own
     * HelloVerifyRequests keep the number they echo. Two failures this prevents:
     * <ul>
     *   <li>A joined server session would number its ServerHello 1, and a client that sent
     *       its first ClientHello twice has seen that number on a HelloVerifyRequest (each
     *       echoes its ClientHello's): an OpenSSL client keeps one replay window for epoch 0
     *       and dropped the ServerHello, every time.</li>
     *   <li>A resent final flight kept its numbers, and an OpenSSL peer that had seen its
     *       ChangeCipherSpec drop the resent one as a replay.</li>
     * </ul>
     */
    private void renumberEpochZero(ByteBuffer datagram) {
        int end = datagram.limit();
        for (int record = datagram.position(); record + DtlsRecords.HEADER_SIZE <= end;
             record += DtlsRecords.recordSize(datagram, record)) {
            if (DtlsRecords.epoch(datagram, record) != 0) {
                continue;
            }
            int type = DtlsRecords.plaintextHandshakeType(datagram, record);
            sentCertificate |= type == CERTIFICATE;
            if (type == DtlsRecords.HELLO_VERIFY_REQUEST) {
                // it keeps the number it echoes; what follows must not fall below it
                nextEpochZeroSequence = Math.max(nextEpochZeroSequence, DtlsRecords.sequenceNumber(datagram, record) + 1);
            } else {
                DtlsRecords.putSequenceNumber(datagram, record, nextEpochZeroSequence++);
            }
        }
    }

    /**
     * Sends the kept flight again: the same bytes, but epoch-0 records with fresh sequence
     * numbers ({@link #renumberEpochZero}). Epoch-1 records go out as they were: their
     * numbers are under the record MAC.
     */
    void resendLastFlight() {
        List<byte[]> datagrams = lastFlight.datagrams();
        LOG.log(System.Logger.Level.DEBUG, "{0} resends its last flight ({1} datagrams)", role, datagrams.size());
        for (byte[] d : datagrams) {
            ByteBuffer copy = ByteBuffer.wrap(d.clone());
            renumberEpochZero(copy);
            emitted++;
            listener.onDatagram(copy.asReadOnlyBuffer());
        }
    }
}
