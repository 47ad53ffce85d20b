/**
 * Running external DTLS peers ({@code openssl s_server} / {@code s_client},
 * {@code gnutls-cli}) against a provider: the command and its output, and the PEM files
 * they read. Used by the interop tests and by {@code dtls4j interop}.
 */
package org.dtls4j.tck.peers;
