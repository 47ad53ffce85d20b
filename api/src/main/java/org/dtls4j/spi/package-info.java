/**
 * The provider SPI: what a backend implements ({@link org.dtls4j.spi.DtlsProvider}) and
 * small helpers every backend may share so that all of them behave the same way
 * (capability checks, the RFC 6347 retransmission schedule, certificate validation).
 *
 * <p>Nullness: as in {@code org.dtls4j}, nothing here is {@code null}.
 */
package org.dtls4j.spi;
