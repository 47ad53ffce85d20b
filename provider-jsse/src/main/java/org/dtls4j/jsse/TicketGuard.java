package org.dtls4j.jsse;

import java.nio.ByteBuffer;
import org.dtls4j.spi.DtlsRecords;

/**
 * Keeps a JSSE client from reading the server's ChangeCipherSpec and Finished before the
 * NewSessionTicket that precedes them (RFC 5077 section 3.3).
 *
 * <p>JDK 17's DTLS reassembler decides that the final flight is complete as soon as it
 * holds a Finished, even when the server announced a ticket that has not arrived. It then
 * verifies the server's Finished over a transcript without the ticket and fails the
 * handshake with {@code handshake_failure}: losing that one datagram kills the handshake.
 * A client session therefore watches the ServerHello for the session_ticket extension and,
 * while the announced ticket is incomplete, drops the flight's ChangeCipherSpec and
 * encrypted records instead of passing them on. The client's retransmission timer then
 * brings the whole flight again, ticket first.
 *
 * <p>The same records are held back until the whole ServerHello has been read. In an
 * abbreviated (resumed) handshake the server's ServerHello, NewSessionTicket,
 * ChangeCipherSpec and Finished are one flight, so a lost ServerHello lets the Finished
 * arrive first; JSSE keeps it and later verifies it over a transcript that lacks the
 * ticket ({@code decrypt_error}). In a full handshake nothing encrypted can come before
 * the ServerHello, so this holds nothing back there.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class TicketGuard {

    private static final int SERVER_HELLO = 2;
    private static final int NEW_SESSION_TICKET = 4;
    private static final int SESSION_TICKET_EXTENSION = 35;

    private boolean announced;
    private int ticketLength = -1;
    /** Bytes of the ticket message received contiguously from offset 0. */
    private int covered;
    private int serverHelloLength = -1;
    /** Bytes of the ServerHello received contiguously from offset 0. */
    private int serverHelloCovered;

    /** Looks at a record about to be given to JSSE: a ServerHello or a ticket fragment. */
    void observe(ByteBuffer b, int record) {
        int type = DtlsRecords.plaintextHandshakeType(b, record);
        if (type == SERVER_HELLO) {
            announced |= announcesTicket(b, record);
            int hs = record + DtlsRecords.HEADER_SIZE;
            int length = u24(b, hs + 1);
            int offset = u24(b, hs + 6);
            int fragment = u24(b, hs + 9);
            if (serverHelloLength < 0) {
                serverHelloLength = length;
            }
            if (length == serverHelloLength && offset <= serverHelloCovered) {
                serverHelloCovered = Math.max(serverHelloCovered, offset + fragment);
            }
        } else if (type == NEW_SESSION_TICKET) {
            int hs = record + DtlsRecords.HEADER_SIZE;
            int length = u24(b, hs + 1);
            int offset = u24(b, hs + 6);
            int fragment = u24(b, hs + 9);
            if (ticketLength < 0) {
                ticketLength = length;
            }
            if (length == ticketLength && offset <= covered) {
                covered = Math.max(covered, offset + fragment);
            }
        }
    }

    /**
     * Whether the record must not reach JSSE yet: a ChangeCipherSpec or an encrypted
     * record before the whole ServerHello, or while an announced ticket is incomplete.
     */
    boolean holdsBack(ByteBuffer b, int record) {
        boolean serverHelloRead = serverHelloLength >= 0 && serverHelloCovered >= serverHelloLength;
        if (serverHelloRead && (!announced || ticketLength >= 0 && covered >= ticketLength)) {
            return false;
        }
        return DtlsRecords.contentType(b, record) == DtlsRecords.CHANGE_CIPHER_SPEC || DtlsRecords.epoch(b, record) > 0;
    }

    /**
     * Whether an unfragmented ServerHello carries the session_ticket extension. A fragmented
     * one is not read: without it the guard stays off, which is JSSE's own behaviour.
     */
    static boolean announcesTicket(ByteBuffer b, int record) {
        int hs = record + DtlsRecords.HEADER_SIZE;
        int end = record + DtlsRecords.recordSize(b, record);
        int length = u24(b, hs + 1);
        if (u24(b, hs + 6) != 0 || u24(b, hs + 9) != length || hs + DtlsRecords.HANDSHAKE_HEADER_SIZE + length > end) {
            return false;
        }
        int at = hs + DtlsRecords.HANDSHAKE_HEADER_SIZE + 2 + 32; // server_version, random
        int bodyEnd = hs + DtlsRecords.HANDSHAKE_HEADER_SIZE + length;
        if (at >= bodyEnd) {
            return false;
        }
        at += 1 + (b.get(at) & 0xff) + 2 + 1; // session_id, cipher_suite, compression_method
        if (at + 2 > bodyEnd) {
            return false; // no extensions
        }
        int extensionsEnd = at + 2 + u16(b, at);
        if (extensionsEnd > bodyEnd) {
            return false;
        }
        at += 2;
        while (at + 4 <= extensionsEnd) {
            int type = u16(b, at);
            int size = u16(b, at + 2);
            if (type == SESSION_TICKET_EXTENSION) {
                return true;
            }
            at += 4 + size;
        }
        return false;
    }

    private static int u16(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
    }

    private static int u24(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 16) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) & 0xff);
    }
}
