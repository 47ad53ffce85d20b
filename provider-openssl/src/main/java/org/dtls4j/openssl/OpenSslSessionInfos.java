package org.dtls4j.openssl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.ProtocolVersion;

/**
 * The {@link DtlsSessionInfo} of a completed OpenSSL handshake, read from its {@code SSL}.
 * Stateless and thread-safe (the caller owns the {@code SSL}).
 */
final class OpenSslSessionInfos {

    private OpenSslSessionInfos() {
    }

    /** What the handshake of {@code ssl} negotiated; {@code requestedServerName} is what a client sent. */
    static DtlsSessionInfo of(Pointer ssl, DtlsRole role, String requestedServerName) {
        int version = LibSsl.SSL_version(ssl);
        Pointer cipher = LibSsl.SSL_get_current_cipher(ssl);
        String name = cipher == null ? "" : LibSsl.SSL_CIPHER_get_name(cipher);
        String suite = CipherSuites.ianaName(name).orElseGet(() -> {
            String standard = cipher == null ? null : LibSsl.SSL_CIPHER_standard_name(cipher);
            return standard != null ? standard : name;
        });
        DtlsSessionInfo.Builder b = DtlsSessionInfo.builder(
                version == LibSsl.DTLS1_VERSION ? ProtocolVersion.DTLS_1_0 : ProtocolVersion.DTLS_1_2, suite);
        b.peerCertificates(peerCertificates(ssl, role));
        try (Memory data = new Memory(com.sun.jna.Native.POINTER_SIZE); Memory length = new Memory(4)) {
            data.setPointer(0, null);
            length.setInt(0, 0);
            LibSsl.SSL_get0_alpn_selected(ssl, data, length);
            Pointer p = data.getPointer(0);
            int n = length.getInt(0);
            if (p != null && n > 0) {
                b.applicationProtocol(new String(p.getByteArray(0, n), StandardCharsets.US_ASCII));
            }
        }
        if (role == DtlsRole.CLIENT) {
            b.serverName(requestedServerName);
        } else {
            String sni = LibSsl.SSL_get_servername(ssl, LibSsl.TLSEXT_NAMETYPE_HOST_NAME);
            b.serverName(sni == null ? "" : sni);
        }
        b.resumed(LibSsl.SSL_session_reused(ssl) == 1);
        Pointer psk = LibSsl.SSL_get_psk_identity(ssl);
        if (psk != null) {
            // OpenSSL keeps identities as C strings: up to the first zero byte
            b.pskIdentity(psk.getString(0, StandardCharsets.ISO_8859_1.name()).getBytes(StandardCharsets.ISO_8859_1));
        }
        Pointer srtp = LibSsl.SSL_get_selected_srtp_profile(ssl);
        if (srtp != null) {
            Pointer profileName = srtp.getPointer(0);
            if (profileName != null) {
                b.srtpProfile(profileName.getString(0, StandardCharsets.US_ASCII.name()));
            }
        }
        return b.build();
    }

    /** The peer's chain, end-entity first (a server's OpenSSL keeps the client's leaf apart). */
    private static List<X509Certificate> peerCertificates(Pointer ssl, DtlsRole role) {
        List<X509Certificate> chain = new ArrayList<>(Callbacks.Certificates.of(LibSsl.SSL_get_peer_cert_chain(ssl)));
        if (role == DtlsRole.SERVER) {
            Pointer leaf = LibSsl.SSL_get1_peer_certificate(ssl);
            if (leaf != null) {
                NativeObjects.COUNTS.created(NativeObjects.Type.X509);
                try {
                    X509Certificate c = Callbacks.Certificates.parse(OpenSslContext.Der.of(leaf));
                    if (chain.isEmpty() || !chain.get(0).equals(c)) {
                        chain.add(0, c);
                    }
                } finally {
                    LibSsl.X509_free(leaf);
                    NativeObjects.COUNTS.freed(NativeObjects.Type.X509);
                }
            }
        }
        return chain;
    }
}
