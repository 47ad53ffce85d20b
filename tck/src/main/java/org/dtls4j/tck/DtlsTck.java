package org.dtls4j.tck;

/**
 * Every contract of the dtls4j TCK. A provider author writes one class:
 *
 * <pre>{@code
 * class MyProviderTckTests implements DtlsTck {
 *     public DtlsProvider provider() { return new MyProvider(); }
 * }
 * }</pre>
 *
 * <p>To run the contracts across two backends, also override {@link #clientProvider()}
 * or {@link #serverProvider()}.
 *
 * @since 0.1
 */
public interface DtlsTck extends HandshakeContract, AuthenticationContract, ApplicationDataContract,
        CloseContract, RetransmissionContract, RobustnessContract, CapabilityContract,
        PskContract, ExporterContract, ResumptionContract, UdpTransportContract, CookieExchangeContract,
        HelloRetryContract, SrtpContract, ConnectionIdContract, HeartbeatContract, RawPublicKeyContract,
        MigrationContract, KeyUpdateContract, ReusePortContract, FlightRecorderContract, SharedTicketsContract,
        HostileInputContract, HostileListenerContract, PeerIsolationContract {
}
