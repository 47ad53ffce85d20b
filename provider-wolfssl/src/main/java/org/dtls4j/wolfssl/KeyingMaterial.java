package org.dtls4j.wolfssl;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtls4j.DtlsException;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.SessionPreconditions;

/**
 * Keying material exporters (RFC 5705; RFC 8446 section 7.5 in DTLS 1.3) through
 * {@code wolfSSL_export_keying_material}, after {@link SessionPreconditions} has checked the
 * arguments. Two limits of wolfSSL 5.9.2 shape it:
 * <ul>
 *   <li>the export needs the handshake's arrays (randoms, master secret), which wolfSSL frees
 *       after the handshake unless {@code wolfSSL_KeepArrays} was called: every session calls
 *       it ({@link SessionExtensions#configure}), and the arrays live until the session is freed;</li>
 *   <li>the DTLS 1.2 path copies label and seed (both randoms, and the context with its length)
 *       into {@code MAX_PRF_LABSEED} = {@value #MAX_PRF_LABSEED} bytes ({@code wc_PRF_TLS},
 *       kdf.h, compile-time): a longer export is refused with the typed error of
 *       {@link SessionPreconditions#requireExportFits}. DTLS 1.3 hashes the context and has no
 *       such limit.</li>
 * </ul>
 * wolfSSL also refuses labels that begin with one of the TLS PRF's own labels, which RFC 5705
 * section 4 reserves; they are refused here as argument errors.
 *
 * <p>Stateless and thread-safe; the caller owns the {@code WOLFSSL}.
 */
final class KeyingMaterial {

    static final int MAX_PRF_LABSEED = 128;
    /** wolfSSL's {@code forbiddenLabels} (ssl.c): prefixes it refuses. */
    private static final List<String> RESERVED = List.of("client finished", "server finished", "master secret",
            "extended master secret", "key expansion");

    private KeyingMaterial() {
    }

    /** Exports {@code length} bytes; {@code context} is null for an export without one. */
    static byte[] export(Pointer ssl, ProtocolVersion version, String label, byte[] context, int length) {
        if (version == ProtocolVersion.DTLS_1_2) {
            if (context == null) {
                SessionPreconditions.requireExportFits("wolfssl", label, MAX_PRF_LABSEED);
            } else {
                SessionPreconditions.requireExportFits("wolfssl", label, context, MAX_PRF_LABSEED);
            }
        }
        for (String reserved : RESERVED) {
            if (label.startsWith(reserved)) {
                throw new IllegalArgumentException("the exporter label '" + label + "' begins with the TLS PRF label '"
                        + reserved + "', which RFC 5705 section 4 reserves and wolfSSL refuses");
            }
        }
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[length];
        int r = LibWolfSsl.wolfSSL_export_keying_material(ssl, out, length, l, l.length,
                context == null ? new byte[1] : context, context == null ? 0 : context.length, context == null ? 0 : 1);
        if (r != LibWolfSsl.WOLFSSL_SUCCESS) {
            throw new DtlsException("wolfSSL_export_keying_material failed: " + r);
        }
        return out;
    }
}
