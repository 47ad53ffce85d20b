package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.spi.DtlsRecords;

/**
 * Connection IDs (RFC 9146 in DTLS 1.2, RFC 9147 in 1.3) through {@code wolfSSL_dtls_cid_*}:
 * a session that is configured with {@code connectionIdLength} offers the extension with a
 * random CID of that length, the one the peer is to send to it with; once the handshake is
 * done both CIDs are reported if both sides sent the extension ({@code wolfSSL_dtls_cid_is_enabled}:
 * wolfSSL drops its CID state when the peer did not). wolfSSL takes CIDs of at most
 * {@code DTLS_CID_MAX_SIZE} bytes (10, compile-time, internal.h), fewer than the api's 255: a
 * longer length is refused when the context is built.
 *
 * <p>A wolfSSL 5.9.2 DTLS 1.2 client that offered a CID to a server that did not answer keeps
 * its own CID and puts it into the additional data of every record it decrypts
 * ({@code DtlsCIDOnExtensionsParsed}, which drops the CID when it was not negotiated, runs for a
 * server's ClientHello and in DTLS 1.3, not for a 1.2 ServerHello; {@code TLS_AEAD_CID_SZ}
 * then reads the receive CID's length), so it cannot decrypt the server's Finished and the
 * handshake hangs. A client session therefore reads the 1.2 ServerHello itself before wolfSSL
 * does ({@link #beforeServerHello}); when it carries no connection_id extension, it sets the
 * length of wolfSSL's receive CID to 0 (the byte before the id that
 * {@code wolfSSL_dtls_cid_get0_rx} returns: {@code struct ConnectionID {byte length; byte id[];}},
 * internal.h) and reports no CID.
 *
 * <p>Not thread-safe: part of one session; the caller owns the {@code WOLFSSL}.
 */
final class ConnectionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 9146's extension type, and supported_versions, which marks a 1.3 ServerHello. */
    private static final int CONNECTION_ID = 54;
    private static final int SUPPORTED_VERSIONS = 43;

    /** Whether a 1.2 server answered without the extension, so no CID is used. */
    private boolean refusedByServer;
    private boolean serverHelloSeen;

    /** Refuses a length wolfSSL cannot take. */
    static void check(DtlsConfig config) {
        if (config.connectionIdLength().isPresent() && WolfSslCapabilities.negotiatesConnectionIds()) {
            int max = LibWolfSsl.wolfSSL_dtls_cid_max_size();
            int length = config.connectionIdLength().getAsInt();
            if (length > max) {
                throw new DtlsConfigurationException("provider 'wolfssl' takes connection IDs of at most " + max
                        + " bytes (wolfSSL's DTLS_CID_MAX_SIZE), not " + length + "; configure connectionIdLength 0 to " + max);
            }
        }
    }

    /**
     * Offers the extension, if a length is configured, with {@code issued} (the listener's, see
     * {@link org.dtls4j.spi.TransportConnectionIds}) or, when that is null, a new random CID of
     * the configured length.
     */
    static void offer(Pointer ssl, DtlsConfig config, byte[] issued) {
        if (config.connectionIdLength().isEmpty()) {
            return;
        }
        byte[] cid = issued;
        if (cid == null) {
            cid = new byte[config.connectionIdLength().getAsInt()];
            RANDOM.nextBytes(cid);
        }
        if (LibWolfSsl.wolfSSL_dtls_cid_use(ssl) != LibWolfSsl.WOLFSSL_SUCCESS
                || LibWolfSsl.wolfSSL_dtls_cid_set(ssl, cid, cid.length) != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsException("wolfSSL refused a connection ID of " + cid.length + " bytes");
        }
    }

    /**
     * In a client that offered a CID, before wolfSSL reads {@code datagram}: if it holds a DTLS
     * 1.2 ServerHello without the connection_id extension, turns wolfSSL's receive CID off.
     */
    void beforeServerHello(Pointer ssl, ByteBuffer datagram) {
        if (serverHelloSeen) {
            return;
        }
        int at = datagram.position();
        int end = datagram.limit();
        if (end - at < DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE
                || DtlsRecords.u8(datagram, at) != DtlsRecords.HANDSHAKE || DtlsRecords.u8(datagram, at + 13) != 2) {
            return; // not a datagram that starts with a ServerHello
        }
        serverHelloSeen = true;
        Boolean offered = offersConnectionId(datagram, at + DtlsRecords.HEADER_SIZE + DtlsRecords.HANDSHAKE_HEADER_SIZE,
                Math.min(end, at + DtlsRecords.HEADER_SIZE + DtlsRecords.u16(datagram, at + 11)));
        if (offered != null && !offered) {
            com.sun.jna.ptr.PointerByReference rx = new com.sun.jna.ptr.PointerByReference();
            if (LibWolfSsl.wolfSSL_dtls_cid_get0_rx(ssl, rx) == LibWolfSsl.WOLFSSL_SUCCESS && rx.getValue() != null) {
                rx.getValue().setByte(-1, (byte) 0);
            }
            refusedByServer = true;
        }
    }

    /** Whether the ServerHello body from {@code at} answers connection_id; null for a 1.3 one or one that cannot be read. */
    private static Boolean offersConnectionId(ByteBuffer d, int at, int end) {
        int p = at + 2 + 32; // server_version, random
        if (p >= end) {
            return null;
        }
        p += 1 + DtlsRecords.u8(d, p) + 2 + 1; // session_id, cipher_suite, compression_method
        if (p + 2 > end) {
            return p == end ? Boolean.FALSE : null; // no extensions at all
        }
        int extensionsEnd = p + 2 + DtlsRecords.u16(d, p);
        boolean cid = false;
        for (p += 2; p + 4 <= Math.min(end, extensionsEnd); p += 4 + DtlsRecords.u16(d, p + 2)) {
            int type = DtlsRecords.u16(d, p);
            if (type == SUPPORTED_VERSIONS) {
                return null; // DTLS 1.3: the extension travels in EncryptedExtensions, and wolfSSL handles it
            }
            cid |= type == CONNECTION_ID;
        }
        return cid;
    }

    /** Reports the negotiated CIDs of {@code ssl}'s completed handshake, if any. */
    void report(Pointer ssl, DtlsConfig config, DtlsSessionInfo.Builder b) {
        if (config.connectionIdLength().isEmpty() || refusedByServer || LibWolfSsl.wolfSSL_dtls_cid_is_enabled(ssl) == 0) {
            return;
        }
        int[] rx = new int[1];
        int[] tx = new int[1];
        if (LibWolfSsl.wolfSSL_dtls_cid_get_rx_size(ssl, rx) != LibWolfSsl.WOLFSSL_SUCCESS
                || LibWolfSsl.wolfSSL_dtls_cid_get_tx_size(ssl, tx) != LibWolfSsl.WOLFSSL_SUCCESS) {
            return;
        }
        byte[] local = new byte[rx[0]];
        byte[] peer = new byte[tx[0]];
        if ((local.length == 0 || LibWolfSsl.wolfSSL_dtls_cid_get_rx(ssl, local, local.length) == LibWolfSsl.WOLFSSL_SUCCESS)
                && (peer.length == 0 || LibWolfSsl.wolfSSL_dtls_cid_get_tx(ssl, peer, peer.length) == LibWolfSsl.WOLFSSL_SUCCESS)) {
            b.connectionIds(local, peer);
        }
    }
}
