/**
 * The dtls4j compatibility kit. A provider author writes one class that implements
 * {@code DtlsTck}; see the module README.
 */
package org.dtls4j.tck;
