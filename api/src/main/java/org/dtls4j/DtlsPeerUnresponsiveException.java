package org.dtls4j;

/**
 * The peer stopped answering heartbeat requests (RFC 6520) within
 * {@link DtlsConfig#heartbeatTimeout()}: it is gone, or the path to it is. Reported through
 * {@link DtlsSessionListener#onFailed}; the session is then {@link DtlsSessionState#FAILED}.
 *
 * @since 0.1
 */
public class DtlsPeerUnresponsiveException extends DtlsException {

    /**
     * An exception whose message says how long the peer stayed silent to heartbeat requests.
     *
     * @param message how long the peer stayed silent
     */
    public DtlsPeerUnresponsiveException(String message) {
        super(message);
    }
}
