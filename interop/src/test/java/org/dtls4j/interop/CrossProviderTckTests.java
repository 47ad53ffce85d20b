package org.dtls4j.interop;

import org.dtls4j.tck.CrossProviderTck;

/**
 * The whole TCK across backends: once per ordered pair of two different providers that
 * ServiceLoader finds (one plays the client, the other the server) and per protocol version
 * both declare. A provider on this module's class path joins with no new test class.
 */
class CrossProviderTckTests implements CrossProviderTck {
}
