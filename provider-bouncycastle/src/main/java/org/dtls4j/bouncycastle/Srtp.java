package org.dtls4j.bouncycastle;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.dtls4j.spi.SrtpProfiles;

/**
 * The use_srtp extension (RFC 5764 section 4.1) between dtls4j's profile names and
 * BouncyCastle's {@link UseSRTPData}: what a client offers, what a server picks, and the
 * check of the server's answer. No MKI is offered or accepted. Stateless.
 */
final class Srtp {

    private Srtp() {
    }

    /** The client's offer, or null when no profile is configured. */
    static UseSRTPData offer(List<String> profiles) {
        if (profiles.isEmpty()) {
            return null;
        }
        return new UseSRTPData(profiles.stream().mapToInt(p -> SrtpProfiles.id(p).orElseThrow()).toArray(),
                TlsUtils.EMPTY_BYTES);
    }

    /**
     * The server's pick: the first of its own profiles the client offers; "" when either
     * side has none or they share none (the handshake goes on without SRTP, and the client
     * sees no profile).
     */
    static String choose(List<String> ours, UseSRTPData offer) {
        if (offer == null) {
            return "";
        }
        for (String p : ours) {
            int id = SrtpProfiles.id(p).orElseThrow();
            for (int offered : offer.getProtectionProfiles()) {
                if (offered == id) {
                    return p;
                }
            }
        }
        return "";
    }

    /** The server's answer carrying {@code chosen}, or null when it chose none. */
    static UseSRTPData answer(String chosen) {
        return chosen.isEmpty() ? null
                : new UseSRTPData(new int[] {SrtpProfiles.id(chosen).orElseThrow()}, TlsUtils.EMPTY_BYTES);
    }

    /**
     * The profile the server chose, checked against the client's offer: "" when it sent no
     * use_srtp.
     *
     * @throws TlsFatalAlert illegal_parameter if the answer names anything but one offered
     *         profile, or carries an MKI the client did not send
     */
    static String chosenByServer(List<String> offered, UseSRTPData answer) throws TlsFatalAlert {
        if (answer == null) {
            return "";
        }
        int[] ids = answer.getProtectionProfiles();
        Optional<String> name = ids.length == 1 ? SrtpProfiles.name(ids[0]) : Optional.empty();
        if (name.isEmpty() || !offered.contains(name.get())) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                    "the server's use_srtp must name exactly one of the offered profiles " + offered);
        }
        if (answer.getMki().length != 0) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "the server's use_srtp carries an MKI none was offered");
        }
        return name.get();
    }
}
