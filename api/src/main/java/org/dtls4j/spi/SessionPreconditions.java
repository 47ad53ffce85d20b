package org.dtls4j.spi;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.dtls4j.Capability;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsRecordTooLargeException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.DtlsVersionException;
import org.dtls4j.ProtocolVersion;

/**
 * The checks a {@link DtlsSession} makes before it acts, with the exceptions its contract
 * names, so that every provider refuses the same calls the same way: a second
 * {@code beginHandshake}, a {@code send} before the handshake or after the end, the
 * arguments and state of {@code exportKeyingMaterial}, including an export larger than a
 * backend's exporter can take ({@link #requireExportFits}), and a key update outside DTLS 1.3.
 * Each method returns normally when the call may go ahead. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class SessionPreconditions {

    /**
     * The most keying material one export may ask for: 255 hash lengths of SHA-256, the
     * most that HKDF-Expand can give (RFC 5869 section 2.3), which bounds the DTLS 1.3
     * exporter (RFC 8446 section 7.5); DTLS 1.2's PRF has no bound of its own, and the same
     * limit holds for it so that a caller's request does not depend on the version.
     */
    public static final int MAX_EXPORT_LENGTH = 255 * 32;
    /** A context is sent with a 16-bit length (RFC 5705 section 4): at most this many bytes. */
    public static final int MAX_EXPORT_CONTEXT_LENGTH = 0xffff;
    /** The empty context of an export without one; empty, so sharing it is safe. */
    private static final byte[] NO_CONTEXT = new byte[0];

    private SessionPreconditions() {
    }

    /**
     * Checks that a context may make a session of {@code role} for {@code peer}: both
     * arguments given, the context still open, and, for a server, something to authenticate
     * with. Every provider's {@code newClientSession}/{@code newServerSession} calls it first.
     *
     * @param contextClosed whether the context was closed
     * @param config the context's configuration
     * @param role the role of the session to make
     * @param peer the peer's address
     * @param listener the session's listener
     * @throws NullPointerException if {@code peer} or {@code listener} is null
     * @throws IllegalStateException if the context is closed
     * @throws DtlsConfigurationException if a server has neither credentials nor a PSK key store
     */
    public static void requireCreatable(DtlsConfig config, DtlsRole role, InetSocketAddress peer,
            DtlsSessionListener listener, boolean contextClosed) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(listener, "listener");
        if (contextClosed) {
            throw new IllegalStateException("this DtlsContext is closed; create a new one to make sessions");
        }
        if (role == DtlsRole.SERVER && config.credentials().isEmpty() && config.pskKeyStore().isEmpty()) {
            throw new DtlsConfigurationException("a server needs credentials: call DtlsConfig.Builder.credentials(...)"
                    + " (or pskKeyStore(...) for PSK suites)");
        }
    }

    /**
     * Checks that {@link DtlsSession#beginHandshake()} may be called: the session has not begun.
     *
     * @param state the session's state
     * @throws IllegalStateException unless the session is {@link DtlsSessionState#NEW}
     */
    public static void requireBeginnable(DtlsSessionState state) {
        if (state != DtlsSessionState.NEW) {
            throw new IllegalStateException("beginHandshake() was already called; the session is " + name(state));
        }
    }

    /**
     * Checks that {@link DtlsSession#send} may send a record of {@code size} bytes in a
     * session in {@code state} whose largest record is {@code maxRecordSize}.
     *
     * @param state the session's state
     * @param size the record's size in bytes
     * @param maxRecordSize the session's largest record
     * @throws IllegalStateException if the handshake has not completed
     * @throws DtlsClosedException if the session is closed or failed
     * @throws DtlsRecordTooLargeException if the record is too large
     */
    public static void requireSendable(DtlsSessionState state, int size, int maxRecordSize) {
        if (state == DtlsSessionState.NEW || state == DtlsSessionState.HANDSHAKING) {
            throw new IllegalStateException("the handshake has not completed; send after onHandshakeComplete");
        }
        if (state.isTerminal()) {
            throw new DtlsClosedException("the session is " + name(state) + "; no more records can be sent");
        }
        if (size > maxRecordSize) {
            throw new DtlsRecordTooLargeException(size, maxRecordSize);
        }
    }

    /**
     * Checks the arguments and state of {@link DtlsSession#exportKeyingMaterial(String, int)}.
     *
     * @param state the session's state
     * @param label the exporter label
     * @param length how many bytes to derive
     * @throws IllegalArgumentException if the label is empty or not ASCII, or the length is
     *         not from 1 to {@link #MAX_EXPORT_LENGTH}
     * @throws IllegalStateException if the session is not {@link DtlsSessionState#ESTABLISHED}
     */
    public static void requireExportable(DtlsSessionState state, String label, int length) {
        requireExportable(state, label, NO_CONTEXT, length);
    }

    /**
     * Checks the arguments and state of {@link DtlsSession#exportKeyingMaterial(String, byte[], int)}.
     *
     * @param state the session's state
     * @param label the exporter label
     * @param context the context value
     * @param length how many bytes to derive
     * @throws IllegalArgumentException if the label is empty or not ASCII, the length is not
     *         from 1 to {@link #MAX_EXPORT_LENGTH}, or the context is longer than
     *         {@link #MAX_EXPORT_CONTEXT_LENGTH}
     * @throws IllegalStateException if the session is not {@link DtlsSessionState#ESTABLISHED}
     */
    public static void requireExportable(DtlsSessionState state, String label, byte[] context, int length) {
        if (label.isEmpty() || !label.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException("an exporter label is a non-empty ASCII string (RFC 5705 section 4), not '"
                    + label + "'");
        }
        if (length < 1 || length > MAX_EXPORT_LENGTH) {
            throw new IllegalArgumentException("keying material is 1 to " + MAX_EXPORT_LENGTH + " bytes, not " + length);
        }
        if (context.length > MAX_EXPORT_CONTEXT_LENGTH) {
            throw new IllegalArgumentException("an exporter context is at most " + MAX_EXPORT_CONTEXT_LENGTH
                    + " bytes (RFC 5705 section 4), not " + context.length);
        }
        if (state != DtlsSessionState.ESTABLISHED) {
            throw new IllegalStateException("keying material can be exported only from an established session; it is "
                    + name(state));
        }
    }

    /**
     * Checks that {@link org.dtls4j.DtlsSession#updateKeys()} may be called: the session is
     * established and negotiated DTLS 1.3.
     *
     * @param state the session's state
     * @param info what the handshake negotiated, once it completed
     * @throws IllegalStateException if the handshake has not completed
     * @throws DtlsClosedException if the session is closed or failed
     * @throws DtlsVersionException if it negotiated a version without key updates
     */
    public static void requireKeyUpdatable(DtlsSessionState state, Optional<DtlsSessionInfo> info) {
        if (state.isTerminal()) {
            throw new DtlsClosedException("the session is " + name(state) + "; its keys can no longer be updated");
        }
        if (state != DtlsSessionState.ESTABLISHED || info.isEmpty()) {
            throw new IllegalStateException("keys can be updated only in an established session; it is " + name(state));
        }
        ProtocolVersion v = info.get().protocolVersion();
        if (v != ProtocolVersion.DTLS_1_3) {
            throw new DtlsVersionException("a key update", v, ProtocolVersion.DTLS_1_3);
        }
    }

    /**
     * Checks that an export without a context fits a backend whose DTLS 1.2 exporter gives its
     * PRF at most {@code maxPrfInput} bytes of label and seed; see
     * {@link #requireExportFits(String, String, byte[], int)}.
     *
     * @param provider the provider's name, for the message
     * @param label the exporter label
     * @param maxPrfInput the most bytes of label and seed the backend's PRF takes
     * @throws DtlsUnsupportedCapabilityException if the label and the two randoms exceed the limit
     */
    public static void requireExportFits(String provider, String label, int maxPrfInput) {
        requireFits(provider, label.length() + RANDOMS, label, -1, maxPrfInput);
    }

    /**
     * Checks that an export with {@code context} fits a backend whose DTLS 1.2 exporter gives its
     * PRF at most {@code maxPrfInput} bytes of label and seed: the label, both 32-byte randoms, the
     * context's two-byte length and the context (RFC 5705 section 4). RFC 5705 allows contexts up
     * to 65,535 bytes, but a backend may copy label and seed into a fixed buffer (wolfSSL:
     * {@code MAX_PRF_LABSEED}, 128 bytes); such a backend refuses, with this typed error naming
     * its limit and the longest context it takes, what it cannot compute, rather than fail in an
     * untyped way or derive something else. DTLS 1.3's exporter hashes the context (RFC 8446
     * section 7.5), so this applies to 1.2 sessions only.
     *
     * @param provider the provider's name, for the message
     * @param label the exporter label
     * @param context the context value
     * @param maxPrfInput the most bytes of label and seed the backend's PRF takes
     * @throws DtlsUnsupportedCapabilityException if label and seed exceed {@code maxPrfInput}
     */
    public static void requireExportFits(String provider, String label, byte[] context, int maxPrfInput) {
        requireFits(provider, label.length() + RANDOMS + 2 + context.length, label, context.length, maxPrfInput);
    }

    /** The two randoms of the exporter's seed (RFC 5705 section 4). */
    private static final int RANDOMS = 64;

    private static void requireFits(String provider, int input, String label, int context, int maxPrfInput) {
        if (input <= maxPrfInput) {
            return;
        }
        int longestContext = maxPrfInput - label.length() - RANDOMS - 2;
        throw new DtlsUnsupportedCapabilityException(Capability.KEYING_MATERIAL_EXPORTER, provider,
                "its DTLS 1.2 exporter takes at most " + maxPrfInput + " bytes of label and seed, and this export needs "
                + input + " (a label of " + label.length() + " bytes, 64 random bytes"
                + (context < 0 ? "" : ", a context of " + context + " bytes and its 2-byte length") + "); "
                + (longestContext < 0 ? "use a shorter label"
                        : "with this label a context may have at most " + longestContext + " bytes")
                + ", or negotiate DTLS 1.3, whose exporter has no such limit");
    }

    private static String name(DtlsSessionState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /**
     * What {@link TransportConnectionIds#newServerSession} checks of the connection ID the
     * transport issues: that it has the configured length.
     *
     * @param config the context's configuration
     * @param connectionId the connection ID the transport issued
     * @throws IllegalArgumentException if its length is not {@code config.connectionIdLength()}
     */
    public static void requireIssuedConnectionId(DtlsConfig config, byte[] connectionId) {
        int length = config.connectionIdLength().orElse(-1);
        if (connectionId.length != length) {
            throw new IllegalArgumentException("a connection ID of " + connectionId.length
                    + " bytes, but the configured connectionIdLength is " + (length < 0 ? "unset" : length));
        }
    }
}
