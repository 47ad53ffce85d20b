/**
 * The dtls4j provider over BouncyCastle's bctls. Only
 * {@link org.dtls4j.bouncycastle.BouncyCastleProvider} is public; users reach everything
 * else through the {@code org.dtls4j} API.
 *
 * <p>Nullness: as in {@code org.dtls4j}, nothing here takes or returns {@code null} except
 * where a BouncyCastle interface demands it (peer callbacks that return "none").
 */
package org.dtls4j.bouncycastle;
