package org.dtls4j.wolfssl;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dtls4j.Capability;

/**
 * The capabilities beyond the protocol versions that this provider declares: each one whose
 * wolfSSL functions the loaded library exports ({@link WolfSslLibrary#has}, probed once at
 * load), and none when the library did not load.
 *
 * <p>Stateless and thread-safe.
 */
final class WolfSslCapabilities {

    /** The symbols each capability calls; a capability is declared only when all are exported. */
    static final Map<Capability, List<String>> SYMBOLS = Map.of(
            Capability.SNI, List.of("wolfSSL_UseSNI", "wolfSSL_CTX_set_servername_callback", "wolfSSL_SNI_GetRequest",
                    "wolfSSL_GetIOReadCtx"),
            // the server's choice is made in the ClientHello callback, which is the SNI one
            Capability.ALPN, List.of("wolfSSL_UseALPN", "wolfSSL_ALPN_GetProtocol", "wolfSSL_ALPN_GetPeerProtocol",
                    "wolfSSL_ALPN_FreePeerProtocol", "wolfSSL_CTX_set_servername_callback", "wolfSSL_GetIOReadCtx"),
            Capability.KEYING_MATERIAL_EXPORTER, List.of("wolfSSL_export_keying_material", "wolfSSL_KeepArrays"),
            Capability.PSK, List.of("wolfSSL_CTX_set_psk_client_callback", "wolfSSL_CTX_set_psk_server_callback",
                    "wolfSSL_CTX_use_psk_identity_hint", "wolfSSL_GetIOReadCtx"),
            Capability.SESSION_RESUMPTION, List.of("wolfSSL_CTX_set_session_cache_mode",
                    "wolfSSL_get1_session", "wolfSSL_set_session", "wolfSSL_SESSION_free", "wolfSSL_session_reused",
                    "wolfSSL_SESSION_dup", "TlsSessionCacheGetAndWrLock", "TlsSessionCacheUnlockRow", "EvictSessionFromCache",
                    "wolfSSL_CTX_NoTicketTLSv12"),
            // SharedTickets; a client offers 1.2 tickets; a server resumes by them as by SESSION_RESUMPTION
            Capability.SHARED_SESSION_TICKETS, List.of("wolfSSL_CTX_set_TicketEncCb", "wolfSSL_CTX_UseSessionTicket",
                    "wolfSSL_session_reused", "wolfSSL_get1_session", "wolfSSL_set_session", "wolfSSL_SESSION_dup",
                    "wolfSSL_CTX_set_session_cache_mode", "TlsSessionCacheGetAndWrLock", "EvictSessionFromCache"),
            // DtlsSetSeqNumForReply: see SessionExtensions.clientHelloParsed
            Capability.SRTP, List.of("wolfSSL_CTX_set_tlsext_use_srtp", "wolfSSL_get_selected_srtp_profile",
                    "DtlsSetSeqNumForReply", "wolfSSL_version", "wolfSSL_set_tlsext_use_srtp", "wolfSSL_CTX_set_servername_callback", "wolfSSL_GetIOReadCtx"));

    /** What negotiating connection IDs needs ({@link ConnectionIds}). */
    static final List<String> CID_SYMBOLS = List.of("wolfSSL_dtls_cid_use", "wolfSSL_dtls_cid_set",
            "wolfSSL_dtls_cid_is_enabled", "wolfSSL_dtls_cid_get_rx_size", "wolfSSL_dtls_cid_get_rx",
            "wolfSSL_dtls_cid_get_tx_size", "wolfSSL_dtls_cid_get_tx", "wolfSSL_dtls_cid_max_size",
            "wolfSSL_dtls_cid_get0_rx");

    /**
     * What proving a record authenticated and newest needs ({@link NewestRecords}), which
     * CONNECTION_ID includes: the listener moves a peer's address on that proof.
     */
    static final List<String> MIGRATION_SYMBOLS = List.of("wolfSSL_dtls_set_pending_peer", "wolfSSL_dtls_get_peer",
            "Dtls13GetSeq");

    private WolfSslCapabilities() {
    }

    /** Whether the library can negotiate connection IDs as {@link ConnectionIds} drives it (declared with {@link #MIGRATION_SYMBOLS}). */
    static boolean negotiatesConnectionIds() {
        return CID_SYMBOLS.stream().allMatch(WolfSslLibrary::has);
    }

    /** The capabilities the loaded library supports as this provider drives it. */
    static Set<Capability> declared() {
        return Declared.SET;
    }

    /** Computed on first use, after the library's one load. */
    private static final class Declared {
        static final Set<Capability> SET = compute();
    }

    private static Set<Capability> compute() {
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        if (negotiatesConnectionIds() && MIGRATION_SYMBOLS.stream().allMatch(WolfSslLibrary::has)) {
            out.add(Capability.CONNECTION_ID);
        }
        SYMBOLS.forEach((capability, symbols) -> {
            if (symbols.stream().allMatch(WolfSslLibrary::has)) {
                out.add(capability);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    /** Whether {@code capability} is declared. */
    static boolean has(Capability capability) {
        return declared().contains(capability);
    }

    /** Every symbol some capability needs, for {@link WolfSslLibrary#OPTIONAL}. */
    static List<String> symbols() {
        return java.util.stream.Stream.of(SYMBOLS.values().stream().flatMap(List::stream), CID_SYMBOLS.stream(),
                MIGRATION_SYMBOLS.stream()).flatMap(x -> x).distinct().sorted().toList();
    }
}
