/**
 * The wolfSSL provider: a sans-IO {@link org.dtls4j.DtlsSession} over wolfSSL's I/O callbacks,
 * bound with JNA direct mapping. wolfSSL is GPLv3 or commercial: the provider ships no copy,
 * it loads the library the user installed or built with {@code scripts/wolfssl.sh}.
 */
package org.dtls4j.wolfssl;
