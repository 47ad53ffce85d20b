package org.dtls4j;

/**
 * A TLS/DTLS alert description (RFC 5246 section 7.2, RFC 8446 section 6, and the
 * extensions that add codes).
 *
 * @since 0.1
 */
public enum DtlsAlert {
    /** close_notify: the sender will send no more records; not an error. */
    CLOSE_NOTIFY(0),
    /** unexpected_message: a message arrived that the protocol state did not allow. */
    UNEXPECTED_MESSAGE(10),
    /** bad_record_mac: a record failed authentication. */
    BAD_RECORD_MAC(20),
    /** decryption_failed: obsolete (TLS 1.0); never sent by DTLS 1.2 or later. */
    DECRYPTION_FAILED(21),
    /** record_overflow: a record was longer than the protocol allows. */
    RECORD_OVERFLOW(22),
    /** decompression_failure: obsolete; DTLS 1.2 and later do not compress. */
    DECOMPRESSION_FAILURE(30),
    /** handshake_failure: the two sides found no acceptable set of security parameters. */
    HANDSHAKE_FAILURE(40),
    /** no_certificate: obsolete (SSL 3.0). */
    NO_CERTIFICATE(41),
    /**
     * bad_certificate: a certificate was corrupt or refused, for example by a {@link
     * CertificateVerifier}.
     */
    BAD_CERTIFICATE(42),
    /** unsupported_certificate: a certificate was of an unsupported type. */
    UNSUPPORTED_CERTIFICATE(43),
    /** certificate_revoked: a certificate was revoked by its signer. */
    CERTIFICATE_REVOKED(44),
    /** certificate_expired: a certificate has expired or is not yet valid. */
    CERTIFICATE_EXPIRED(45),
    /** certificate_unknown: a certificate was refused for some other reason. */
    CERTIFICATE_UNKNOWN(46),
    /** illegal_parameter: a handshake field was out of range or inconsistent with other fields. */
    ILLEGAL_PARAMETER(47),
    /** unknown_ca: a certificate chain did not lead to a trusted anchor. */
    UNKNOWN_CA(48),
    /** access_denied: the certificate was valid, but access control refused the peer. */
    ACCESS_DENIED(49),
    /** decode_error: a message could not be decoded. */
    DECODE_ERROR(50),
    /**
     * decrypt_error: a handshake cryptographic operation failed, such as a signature check or the
     * Finished.
     */
    DECRYPT_ERROR(51),
    /** export_restriction: obsolete (TLS 1.0). */
    EXPORT_RESTRICTION(60),
    /** protocol_version: the peer's protocol version is recognised but not supported. */
    PROTOCOL_VERSION(70),
    /** insufficient_security: the server requires stronger cipher suites than the client offers. */
    INSUFFICIENT_SECURITY(71),
    /** internal_error: a failure unrelated to the peer or the protocol, on the sender's side. */
    INTERNAL_ERROR(80),
    /** inappropriate_fallback: a client's version fallback was refused (RFC 7507). */
    INAPPROPRIATE_FALLBACK(86),
    /** user_canceled: the handshake was cancelled by the sender's user. */
    USER_CANCELED(90),
    /** no_renegotiation: a renegotiation request was refused. */
    NO_RENEGOTIATION(100),
    /** missing_extension: a required extension was not sent (TLS 1.3). */
    MISSING_EXTENSION(109),
    /** unsupported_extension: an extension was sent that was not offered. */
    UNSUPPORTED_EXTENSION(110),
    /** certificate_unobtainable: a certificate could not be fetched from a URL (RFC 6066). */
    CERTIFICATE_UNOBTAINABLE(111),
    /** unrecognized_name: the server knows no host of the name the client asked for (SNI). */
    UNRECOGNIZED_NAME(112),
    /** bad_certificate_status_response: an invalid or unacceptable OCSP response (RFC 6066). */
    BAD_CERTIFICATE_STATUS_RESPONSE(113),
    /** bad_certificate_hash_value: a certificate's hash did not match (RFC 6066). */
    BAD_CERTIFICATE_HASH_VALUE(114),
    /**
     * unknown_psk_identity: the server knows no pre-shared key for the identity the client sent
     * (RFC 4279).
     */
    UNKNOWN_PSK_IDENTITY(115),
    /**
     * certificate_required: the server requires a certificate the client did not send (TLS 1.3).
     */
    CERTIFICATE_REQUIRED(116),
    /**
     * no_application_protocol: the server supports none of the ALPN protocols the client offered
     * (RFC 7301).
     */
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

    /** {@return the description byte on the wire, or -1 for {@link #UNKNOWN}} */
    public int code() {
        return code;
    }

    /**
     * {@return the alert for a description byte; {@link #UNKNOWN} for codes not listed here}
     *
     * @param code the description byte, 0 to 255
     */
    public static DtlsAlert ofCode(int code) {
        DtlsAlert a = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return a == null ? UNKNOWN : a;
    }

    /**
     * Finds an alert by its RFC name as backends print it ({@code "bad_certificate"},
     * {@code "BAD_CERTIFICATE"}, {@code "bad certificate"}).
     *
     * @param name the alert's name in any of those spellings
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
     * {@return whether this alert says the peer's certificate was refused (the class of alerts a
     * {@link CertificateVerifier} veto or a failed chain validation produces)}
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
