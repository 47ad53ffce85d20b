/**
 * The dtls4j provider over JSSE ({@code javax.net.ssl.SSLEngine} in DTLS mode). Only
 * {@link org.dtls4j.jsse.JsseProvider} is public; users reach everything else through the
 * {@code org.dtls4j} API.
 *
 * <p>Nullness: as in {@code org.dtls4j}, nothing here takes or returns {@code null} except
 * where a JSSE interface demands it (key and trust manager callbacks).
 */
package org.dtls4j.jsse;
