/**
 * The dtls4j user API: the provider registry ({@link org.dtls4j.Dtls}), immutable
 * configuration ({@link org.dtls4j.DtlsConfig}), contexts, sans-IO sessions and the
 * exception hierarchy rooted at {@link org.dtls4j.DtlsException}.
 *
 * <p>Nullness: no parameter, return value or field of a public type in this package is
 * {@code null}. Absent values are {@link java.util.Optional} or empty collections; a
 * {@code null} argument fails at once with a {@link NullPointerException}.
 */
package org.dtls4j;
