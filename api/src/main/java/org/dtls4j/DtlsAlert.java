package org.dtls4j;

/**
 * A TLS/DTLS alert description (RFC 5246 section 7.2, RFC 8446 section 6, and the
 * extensions that add codes).
 *
 * @since 0.1
 */
public enum DtlsAlert {
    CLOSE_NOTIFY(0),
    UNEXPECTED_MESSAGE(10),
    BAD_RECORD_MAC(20),
    DECRYPTION_FAILED(21),
    RECORD_OVERFLOW(22),
    DECOMPRESSION_FAILURE(30),
    HANDSHAKE_FAILURE(40),
    NO_CERTIFICATE(41),
    BAD_CERTIFICATE(42),
    UNSUPPORTED_CERTIFICATE(43),
    CERTIFICATE_REVOKED(44),
    CERTIFICATE_EXPIRED(45),
    CERTIFICATE_UNKNOWN(46),
    ILLEGAL_PARAMETER(47),
    UNKNOWN_CA(48),
    ACCESS_DENIED(49),
    DECODE_ERROR(50),
    DECRYPT_ERROR(51),
    EXPORT_RESTRICTION(60),
    PROTOCOL_VERSION(70),
    INSUFFICIENT_SECURITY(71),
    INTERNAL_ERROR(80),
    INAPPROPRIATE_FALLBACK(86),
    USER_CANCELED(90),
    NO_RENEGOTIATION(100),
    MISSING_EXTENSION(109),
    UNSUPPORTED_EXTENSION(110),
    CERTIFICATE_UNOBTAINABLE(111),
    UNRECOGNIZED_NAME(112),
    BAD_CERTIFICATE_STATUS_RESPONSE(113),
    BAD_CERTIFICATE_HASH_VALUE(114),
    UNKNOWN_PSK_IDENTITY(115),
    CERTIFICATE_REQUIRED(116),
    NO_APPLICATION_PROTOCOL(120),
    /** A code this enum does not know; the exception's message keeps the number. */
    UNKNOWN(-1);

    private static final DtlsAlert[] BY_CODE = new DtlsAlert[256];

    static {
        for (DtlsAlert a : values()) {
            if (a.code >= 0) {
                BY_CODE[a.code] = a;
            }
        }
    }

    private final int code;

    DtlsAlert(int code) {
        this.code = code;
    }

    /** The description byte on the wire, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The alert for a description byte; {@link #UNKNOWN} for codes not listed here. */
    public static DtlsAlert ofCode(int code) {
        DtlsAlert a = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return a == null ? UNKNOWN : a;
    }

    /**
     * Finds an alert by its RFC name as backends print it ({@code "bad_certificate"},
     * {@code "BAD_CERTIFICATE"}, {@code "bad certificate"}).
     *
     * @return the alert, or {@link #UNKNOWN} if no name matches
     */
    public static DtlsAlert ofName(String name) {
        String n = name.trim().replace(' ', '_').replace('-', '_');
        for (DtlsAlert a : values()) {
            if (a.name().equalsIgnoreCase(n)) {
                return a;
            }
        }
        return UNKNOWN;
    }

    /**
     * Whether this alert says the peer's certificate was refused (the class of alerts a
     * {@link CertificateVerifier} veto or a failed chain validation produces).
     */
    public boolean isCertificateAlert() {
        return switch (this) {
            case BAD_CERTIFICATE, UNSUPPORTED_CERTIFICATE, CERTIFICATE_REVOKED, CERTIFICATE_EXPIRED,
                 CERTIFICATE_UNKNOWN, UNKNOWN_CA, CERTIFICATE_REQUIRED, NO_CERTIFICATE,
                 BAD_CERTIFICATE_STATUS_RESPONSE -> true;
            default -> false;
        };
    }

    /** The RFC name, e.g. {@code bad_certificate}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
