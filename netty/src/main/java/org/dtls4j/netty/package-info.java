/**
 * DTLS in a Netty pipeline: {@link org.dtls4j.netty.DtlsServerHandler} serves many peers on one
 * {@code DatagramChannel} with dtls4j's own listener (stateless cookies, sessions by connection ID
 * then address) on the channel's event loop; {@link org.dtls4j.netty.DtlsPeerEvent}s tell the
 * pipeline of each peer's connection; {@link org.dtls4j.netty.DtlsClientHandler} is one session on a
 * connected channel.
 *
 * <p>Nullness: no parameter, return value or field of a public type in this package is
 * {@code null}.
 */
package org.dtls4j.netty;
