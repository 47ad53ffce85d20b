package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.dtls4j.Capability;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.PreSharedKey;
import org.dtls4j.ProtocolVersion;
import org.dtls4j.spi.Capabilities;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;
import org.junit.jupiter.api.Test;

/**
 * Capabilities are explicit: a configuration that needs one the provider does not declare
 * is refused when the context is made, naming both; one it declares is accepted.
 *
 * <p>If these fail, call {@code Capabilities.requireUsable(this, config)} first thing in
 * {@code newContext}, and keep {@code capabilities()} to what really works.
 *
 * @since 0.1
 */
public interface CapabilityContract extends TckTarget {

    /** {@return for each capability a configuration can ask for, a way to ask for it} */
    static Map<Capability, UnaryOperator<DtlsConfig.Builder>> settings() {
        Map<Capability, UnaryOperator<DtlsConfig.Builder>> m = new EnumMap<>(Capability.class);
        m.put(Capability.DTLS_1_0, b -> b.protocolVersions(ProtocolVersion.DTLS_1_0, ProtocolVersion.DTLS_1_2));
        m.put(Capability.DTLS_1_3, b -> b.protocolVersions(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2));
        // PSK is a DTLS 1.2 capability in the contract (Tck.PSK_BEFORE_DTLS_1_3), in every run
        m.put(Capability.PSK, b -> b.preSharedKey(PreSharedKey.ofHex("tck", "00112233445566778899aabbccddeeff"))
                .protocolVersions(ProtocolVersion.DTLS_1_2));
        m.put(Capability.HEARTBEAT, b -> b.heartbeat(true));
        m.put(Capability.CONNECTION_ID, b -> b.connectionIdLength(4));
        m.put(Capability.SRTP, b -> b.srtpProfiles("SRTP_AES128_CM_SHA1_80"));
        m.put(Capability.ALPN, b -> b.applicationProtocols("coap"));
        m.put(Capability.SNI, b -> b.serverName(TckPki.SERVER_NAME));
        m.put(Capability.RAW_PUBLIC_KEY, b -> b.trustedRawPublicKeys(TckPki.get().rawServer().publicKey()));
        m.put(Capability.SHARED_SESSION_TICKETS, b -> b.sessionTicketKeys(org.dtls4j.SharedKeys.of(new byte[32])));
        return m;
    }

    /**
     * Checks rule CA-1 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-1")
    default void configNeedingAnUndeclaredCapabilityIsRefusedAtContextCreation(TckRun run) {
        DtlsProvider p = run.serverProvider();
        List<Capability> undeclared = new ArrayList<>();
        settings().forEach((capability, setting) -> {
            if (!p.capabilities().contains(capability)) {
                undeclared.add(capability);
                DtlsConfig config = setting.apply(Tck.client(run)).build();
                DtlsUnsupportedCapabilityException e = assertThrows(DtlsUnsupportedCapabilityException.class,
                        () -> p.newContext(config).close(),
                        "provider '" + p.name() + "' does not declare " + capability + " and must refuse a config that needs it");
                assertEquals(capability, e.capability(), "the exception names the capability");
                assertEquals(p.name(), e.provider(), "the exception names the provider");
            }
        });
        assumeTrue(!undeclared.isEmpty(), "provider '" + p.name() + "' declares every capability a config can ask for");
    }

    /**
     * Checks rule CA-2 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-2")
    default void configNeedingADeclaredCapabilityIsAccepted(TckRun run) {
        DtlsProvider p = run.serverProvider();
        settings().forEach((capability, setting) -> {
            if (p.capabilities().contains(capability)) {
                DtlsConfig config = setting.apply(Tck.client(run)).build();
                try (DtlsContext context = p.newContext(config)) {
                    assertEquals(p.name(), context.providerName(), "the context names its provider");
                } catch (DtlsUnsupportedCapabilityException e) {
                    throw new AssertionError("provider '" + p.name() + "' declares " + capability + " but refused it", e);
                }
            }
        });
    }

    /**
     * Checks rule CA-3 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-3")
    @RequiresCapability(Capability.ALPN)
    default void alpnSelectsTheServersPreferredCommonProtocol(TckRun run) {
        DtlsConfig client = Tck.client(run).applicationProtocols("h3", "coap").build();
        DtlsConfig server = Tck.server(run).applicationProtocols("coap", "h3").build();
        try (SessionPair pair = Tck.clean(run, client, server)) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals("coap", pair.server().established().join().applicationProtocol().orElse("(none)"),
                    "the server picks its most preferred protocol the client offers");
            assertEquals("coap", pair.client().established().join().applicationProtocol().orElse("(none)"),
                    "the client reports what the server picked");
        }
    }

    /**
     * Checks rule CA-4 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-4")
    @RequiresCapability(Capability.SNI)
    default void serverSeesTheRequestedServerName(TckRun run) {
        DtlsConfig client = Tck.client(run).serverName(TckPki.SERVER_NAME).build();
        try (SessionPair pair = Tck.clean(run, client, Tck.server(run).build())) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals(TckPki.SERVER_NAME, pair.server().established().join().serverName().orElse("(none)"),
                    "the server reports the SNI host name the client sent");
        }
    }

    /**
     * Without a configured server name a client sends the name of the address it was given,
     * by the rule of {@code org.dtls4j.spi.ServerNames}: lower case, no trailing dot.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CA-6")
    @RequiresCapability(Capability.SNI)
    default void withoutAServerNameTheClientSendsThePeersHostNameNormalised(TckRun run) throws Exception {
        InetSocketAddress named = new InetSocketAddress(
                InetAddress.getByAddress("Server.Dtls4j.Test.", new byte[] {127, 0, 0, 1}), 4433);
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).serverAddress(named)
                .build().start()) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals("server.dtls4j.test", pair.server().established().join().serverName().orElse("(none)"),
                    "the server must receive the peer address's host name, lower-cased, without its trailing dot"
                    + " (use org.dtls4j.spi.ServerNames.forPeer)");
            assertEquals("server.dtls4j.test", pair.client().established().join().serverName().orElse("(none)"),
                    "the client reports the SNI name it sent");
        }
    }

    /**
     * SNI carries no address literals (RFC 6066 section 3): a client given only an address sends none.
     *
     * @param run the run: its providers, protocol version and seed
     * @throws Exception an unexpected failure, which fails the test
     */
    @Test
    @RuleId("CA-7")
    @RequiresCapability(Capability.SNI)
    default void withoutAServerNameTheClientSendsNoSniForAnAddressLiteral(TckRun run) throws Exception {
        InetSocketAddress literal = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 4433);
        try (SessionPair pair = Tck.pair(run)
                .clientConfig(Tck.client(run).build()).serverConfig(Tck.server(run).build()).serverAddress(literal)
                .build().start()) {
            pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
            assertEquals("(none)", pair.server().established().join().serverName().orElse("(none)"),
                    "a client given the address 127.0.0.1 must send no SNI (use org.dtls4j.spi.ServerNames.forPeer)");
        }
    }

    /**
     * Checks rule CA-5 of {@code tck/RULES.md}, which gives the rule, its source and what to check
     * first when it fails.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-5")
    @RequiresCapability(Capability.SNI)
    default void serverNameThatTheCertificateDoesNotMatchFailsTheClient(TckRun run) {
        DtlsConfig client = Tck.client(run).serverName("other.dtls4j.test").build();
        try (SessionPair pair = Tck.clean(run, client, Tck.server(run).build())) {
            var failure = Await.value(pair.client().failed(), Tck.EVENT,
                    () -> "a certificate for another host must fail the client\n" + pair.describe());
            assertEquals(org.dtls4j.DtlsAlertException.class, failure.getClass(), "expected an alert, got " + failure);
        }
    }

    /**
     * Versions are not negotiated down past what a side names: a client of DTLS 1.3 alone and a
     * server of DTLS 1.2 alone (and the other way round) have no version in common, and both
     * sides fail with protocol_version, never completing on a version one of them refused. A
     * DTLS 1.2 server that has only answered with its stateless HelloVerifyRequest holds no
     * state to fail (the listener's case too: it has made no session yet); it must not complete.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-8")
    @ForVersions(value = ProtocolVersion.DTLS_1_3, why = "the rule pairs a DTLS 1.3-only side with a DTLS 1.2-only"
            + " one; it runs once, in the DTLS 1.3 run of a provider that declares DTLS_1_3")
    default void aDtls13OnlySideAndADtls12OnlySideBothFailWithProtocolVersion(TckRun run) {
        for (ProtocolVersion clientVersion : List.of(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2)) {
            ProtocolVersion serverVersion = clientVersion == ProtocolVersion.DTLS_1_3 ? ProtocolVersion.DTLS_1_2
                    : ProtocolVersion.DTLS_1_3;
            String what = "a " + clientVersion.standardName() + "-only client against a " + serverVersion.standardName()
                    + "-only server";
            try (SessionPair pair = Tck.clean(run, Tck.client(run).protocolVersions(clientVersion).build(),
                    Tck.server(run).protocolVersions(serverVersion).build())) {
                for (SessionPair.End end : List.of(pair.client(), pair.server())) {
                    if (end == pair.server() && onlyHelloVerifyRequests(pair.link().wire())) {
                        // A DTLS 1.2 server that answered with its stateless cookie exchange kept no state
                        // (RFC 6347 section 4.2.1): an alert from an unverified client must end nothing.
                        assertTrue(!end.established().isDone(), what + ": the server must not complete");
                        continue;
                    }
                    DtlsAlertException e = Tck.failedWithAlert(pair, end, what + " must fail");
                    assertEquals(DtlsAlert.PROTOCOL_VERSION, e.alert(), what + ": the "
                            + (end == pair.client() ? "client" : "server") + " reports protocol_version (RFC 8446"
                            + " section 4.2.1), got " + e.alert() + "\n" + pair.describe());
                }
            }
        }
    }

    /** Whether every datagram the server sent is a plaintext HelloVerifyRequest (handshake type 3). */
    private static boolean onlyHelloVerifyRequests(List<WireEvent> wire) {
        return wire.stream().filter(e -> e.from() == Side.SERVER).allMatch(e -> e.bytes().length > 13
                && e.firstContentType() == 22 && e.firstEpoch() == 0 && e.bytes()[13] == 3);
    }

    /**
     * Left unset, versions are DTLS 1.2 and 1.3 narrowed to what the provider speaks
     * ({@code spi.ConfigFacts.forProvider}): two such sides negotiate the newest version both
     * providers speak, and either of them with a DTLS 1.2-only peer negotiates DTLS 1.2.
     *
     * @param run the run: its providers, protocol version and seed
     */
    @Test
    @RuleId("CA-9")
    @ForVersions(value = ProtocolVersion.DTLS_1_2, why = "the rule leaves versions unset; it runs once, in the"
            + " DTLS 1.2 run every provider has")
    default void versionsLeftUnsetNegotiateTheNewestVersionBothSidesSpeak(TckRun run) {
        TckPki pki = TckPki.get();
        DtlsConfig.Builder client = Tck.fastWithDefaultVersions().trustedCertificates(pki.caCertificate());
        DtlsConfig.Builder server = Tck.fastWithDefaultVersions().credentials(pki.ecServer());
        ProtocolVersion newest = Capabilities.protocolVersions(run.clientProvider()).contains(ProtocolVersion.DTLS_1_3)
                && Capabilities.protocolVersions(run.serverProvider()).contains(ProtocolVersion.DTLS_1_3)
                ? ProtocolVersion.DTLS_1_3 : ProtocolVersion.DTLS_1_2;
        Map<String, ProtocolVersion> cases = Map.of(
                "both sides with versions unset", newest,
                "versions unset, against a DTLS 1.2-only server", ProtocolVersion.DTLS_1_2,
                "a DTLS 1.2-only client, against versions unset", ProtocolVersion.DTLS_1_2);
        cases.forEach((what, expected) -> {
            DtlsConfig c = what.startsWith("a DTLS 1.2-only client")
                    ? client.build().toBuilder().protocolVersions(ProtocolVersion.DTLS_1_2).build() : client.build();
            DtlsConfig s = what.endsWith("DTLS 1.2-only server")
                    ? server.build().toBuilder().protocolVersions(ProtocolVersion.DTLS_1_2).build() : server.build();
            try (SessionPair pair = Tck.clean(run, c, s)) {
                pair.awaitEstablished(Tck.CLEAN_HANDSHAKE);
                assertEquals(expected, pair.client().established().join().protocolVersion(), what + " negotiates "
                        + expected.standardName() + "\n" + pair.describe());
                assertEquals(expected, pair.server().established().join().protocolVersion(), what + ", on both sides");
            }
        });
    }
}
