/**
 * The dtls4j provider over OpenSSL's libssl 3, bound with JNA. Only
 * {@link org.dtls4j.openssl.OpenSslProvider} is public; users reach everything else
 * through the {@code org.dtls4j} API.
 *
 * <p>Nullness: as in {@code org.dtls4j}, nothing here takes or returns {@code null} except
 * native pointers, where {@code null} is OpenSSL's own "none".
 */
package org.dtls4j.openssl;
