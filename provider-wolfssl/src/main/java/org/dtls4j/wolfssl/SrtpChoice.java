package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.dtls4j.DtlsConfig;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.SrtpProfiles;

/**
 * A server's choice of SRTP profile: the first of its own that the client offers, as
 * {@code DtlsConfig.Builder.srtpProfiles} says. wolfSSL's server picks the client's first that
 * it supports ({@code TLSX_UseSRTP_Parse}, tls.c), so before wolfSSL reads the first whole
 * ClientHello the session reads its use_srtp extension (RFC 5764 section 4.1.1) and leaves
 * wolfSSL only the profile it chose ({@code wolfSSL_set_tlsext_use_srtp}). A ClientHello that
 * does not fit its first datagram is left to wolfSSL's order.
 *
 * <p>Not thread-safe: part of one server session.
 */
final class SrtpChoice {

    private static final int USE_SRTP = 14;
    private boolean done;

    /** Before wolfSSL reads {@code datagram}: if it holds a whole ClientHello, narrows the profiles to the one chosen. */
    void beforeClientHello(Pointer ssl, DtlsConfig config, ByteBuffer datagram) {
        if (done) {
            return;
        }
        List<Integer> offered = offered(datagram);
        if (offered == null) {
            return;
        }
        done = true;
        for (String mine : config.srtpProfiles()) {
            OptionalInt id = SrtpProfiles.id(mine);
            if (id.isPresent() && offered.contains(id.getAsInt())) {
                LibWolfSsl.wolfSSL_set_tlsext_use_srtp(ssl, mine);
                return;
            }
        }
    }

    /** The profile IDs a whole ClientHello at the start of {@code d} offers (empty for none), or null if there is none. */
    private static List<Integer> offered(ByteBuffer d) {
        int at = d.position();
        int end = Math.min(d.limit(), at + DtlsRecords.HEADER_SIZE + (d.limit() - at < DtlsRecords.HEADER_SIZE ? 0
                : DtlsRecords.u16(d, at + 11)));
        int body = at + DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE;
        if (body + 35 > end || DtlsRecords.u8(d, at) != DtlsRecords.HANDSHAKE || DtlsRecords.u8(d, at + 13) != 1
                || DtlsRecords.u16(d, at + 19) != 0 || DtlsRecords.u8(d, at + 21) != 0
                || DtlsRecords.u16(d, at + 23) != DtlsRecords.u16(d, at + 15) || DtlsRecords.u8(d, at + 22) != DtlsRecords.u8(d, at + 14)) {
            return null; // not a ClientHello whose first fragment is the whole message
        }
        int p = body + 2 + 32;
        p += 1 + DtlsRecords.u8(d, p); // session_id
        if (p >= end) {
            return null;
        }
        p += 1 + DtlsRecords.u8(d, p); // cookie
        if (p + 2 > end) {
            return null;
        }
        p += 2 + DtlsRecords.u16(d, p); // cipher_suites
        if (p >= end) {
            return null;
        }
        p += 1 + DtlsRecords.u8(d, p); // compression_methods
        List<Integer> out = new ArrayList<>();
        if (p + 2 > end) {
            return out;
        }
        int extensionsEnd = Math.min(end, p + 2 + DtlsRecords.u16(d, p));
        for (p += 2; p + 4 <= extensionsEnd; p += 4 + DtlsRecords.u16(d, p + 2)) {
            if (DtlsRecords.u16(d, p) == USE_SRTP && p + 6 <= extensionsEnd) {
                int listEnd = Math.min(extensionsEnd, p + 6 + DtlsRecords.u16(d, p + 4));
                for (int q = p + 6; q + 2 <= listEnd; q += 2) {
                    out.add(DtlsRecords.u16(d, q));
                }
            }
        }
        return out;
    }
}
