package org.dtls4j.spi;

import java.net.IDN;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SNI host name a client sends when its configuration names none
 * ({@code DtlsConfig.serverName()} empty): the one rule every provider follows, so that a
 * server sees the same name whichever backend the client runs.
 *
 * <p>The rule (RFC 6066 section 3: "HostName" is a DNS host name, in ASCII, with no
 * trailing dot; "Literal IPv4 and IPv6 addresses are not permitted"):
 * <ul>
 *   <li>the name is {@link InetSocketAddress#getHostString()}, which never asks DNS: the
 *       name the address was made from, or the literal when it was made from bytes or a
 *       literal string;</li>
 *   <li>an IPv4 or IPv6 literal (anything with a colon, or only digits and dots) sends no
 *       SNI;</li>
 *   <li>one trailing dot is dropped ({@code "example.com."} sends {@code "example.com"});</li>
 *   <li>an internationalised name is sent as its A-labels ({@code "bücher.example"} sends
 *       {@code "xn--bcher-kva.example"});</li>
 *   <li>the name is lower-cased (DNS names compare without case, and this makes the name a
 *       server sees the same on every backend);</li>
 *   <li>what is then not a host name (labels of letters, digits and inner hyphens, at most
 *       63 bytes each, 253 in all) sends no SNI;</li>
 *   <li>an unresolved address is treated like any other: its host string is the name the
 *       caller gave, and a session needs no resolution to send it.</li>
 * </ul>
 * A one-label name such as {@code "localhost"} is sent, as every backend sent it before
 * this rule was written down. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ServerNames {

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    private ServerNames() {
    }

    /**
     * {@return the SNI host name a client sends by default to {@code peer}; empty for none}
     *
     * @param peer the server's address, as the client was given it
     */
    public static Optional<String> forPeer(InetSocketAddress peer) {
        String host = peer.getHostString();
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.indexOf(':') >= 0 || host.indexOf('%') >= 0 || DIGITS_AND_DOTS.matcher(host).matches()) {
            return Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAHostName) {
            return Optional.empty();
        }
        return HOST_NAME.matcher(ascii).matches() ? Optional.of(ascii) : Optional.empty();
    }
}
