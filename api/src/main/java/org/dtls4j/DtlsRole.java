package org.dtls4j;

/**
 * Which end of the handshake a session plays.
 *
 * @since 0.1
 */
public enum DtlsRole {
    /** Sends the ClientHello. */
    CLIENT,
    /** Answers the ClientHello. */
    SERVER
}
