package org.dtls4j.tck.broken;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.dtls4j.Capability;
import org.dtls4j.CertificateVerifier;
import org.dtls4j.DtlsAlertException;
import org.dtls4j.DtlsAlert;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsException;
import org.dtls4j.DtlsHandshakeTimeoutException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSession;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.PeerVerification;
import org.dtls4j.spi.ConfigFacts;
import org.dtls4j.spi.DtlsProvider;

/**
 * Deliberately broken providers, to prove that the TCK catches each breakage: every
 * {@link Breakage} wraps a real provider, breaks one rule, and names the TCK tests that
 * must fail because of it. A provider author can run the same check against their own
 * provider (see the TCK README).
 *
 * <p>Over 450 lines on purpose: the catalogue of breakages, each beside its wrapper, reads
 * best in one place.
 *
 * @since 0.1
 */
public final class BrokenProviders {

    private BrokenProviders() {
    }

    /**
     * One broken rule and the TCK tests that must catch it.
     *
     * @since 0.1
     */
    public enum Breakage {
        /** close() sends nothing: the peer never sees end of stream. */
        SKIPS_CLOSE_NOTIFY("closeNotifyEndsThePeersStream"),
        /** The CertificateVerifier is never consulted. */
        IGNORES_VERIFIER_VETO("certificateVerifierVetoFailsTheHandshake",
                "serverCertificateVerifierSeesAndCanVetoTheClientChain"),
        /** A datagram received again delivers its records again. */
        DELIVERS_REPLAYS("replayedRecordIsDeliveredOnce"),
        /** A config needing an undeclared capability silently gets a context without it. */
        ACCEPTS_UNDECLARED_CAPABILITIES("configNeedingAnUndeclaredCapabilityIsRefusedAtContextCreation"),
        /** Timers never fire: no retransmission and no handshake timeout. */
        NEVER_RETRANSMITS("retransmissionsFollowTheConfiguredSchedule",
                "blackHoleFailsWithHandshakeTimeout", "lostFinalFlightIsRecovered"),
        /** Retransmits the last flight every initial interval, with no backoff. */
        RETRANSMITS_WITHOUT_BACKOFF("retransmissionsFollowTheConfiguredSchedule"),
        /** A handshake timeout is never reported. */
        NEVER_REPORTS_HANDSHAKE_TIMEOUT("blackHoleFailsWithHandshakeTimeout"),
        /** Leaves a provider thread running after the session ends. */
        LEAKS_A_THREAD("aTimedOutHandshakeLeavesNoProviderThreadBehind"),
        /** A malformed datagram kills the session. */
        DIES_ON_GARBAGE("garbageDuringTheHandshakeIsDroppedAndCounted",
                "corruptedAndGarbageDatagramsAfterTheHandshakeAreDropped"),
        /** A client with no configured server name sends a fixed one instead of the peer's (spi.ServerNames). */
        SENDS_ITS_OWN_DEFAULT_SNI("withoutAServerNameTheClientSendsThePeersHostNameNormalised",
                "withoutAServerNameTheClientSendsNoSniForAnAddressLiteral"),
        /** updateKeys() on a DTLS 1.2 session returns as if keys were updated, instead of refusing. */
        PRETENDS_TO_UPDATE_KEYS("aKeyUpdateBeforeDtls13IsRefusedWithATypedErrorAndTheSessionStaysUsable",
                "aKeyUpdateThroughTheListenerLeavesTheConnectionCarryingRecords"),
        /** The server reports a cipher suite other than the one negotiated. */
        MISREPORTS_CIPHER_SUITE("negotiatedParametersAreReportedAlikeOnBothSides"),
        /** Holds every other record back and delivers it after the next one. */
        REORDERS_RECORDS("recordBoundariesAndOrderArePreservedOnACleanNetwork"),
        /** An oversized record is cut to size and sent instead of refused. */
        TRUNCATES_OVERSIZED_RECORDS("oversizedRecordIsRefusedAndTheSessionStaysUsable"),
        /** Two datagrams emitted in one call go out as one, past the datagram size. */
        COALESCES_DATAGRAMS("handshakeFragmentsToFitSmallDatagrams"),
        /** A server that is told to require client certificates does not. */
        IGNORES_CLIENT_AUTH_REQUIREMENT("missingClientCertificateFailsBothSidesWithAnAlert"),
        /** A client that accepts any server chain. */
        SKIPS_CHAIN_VALIDATION("untrustedServerCertificateFailsTheClient", "expiredServerCertificateFailsTheClient"),
        /** Alerts are reported as plain failures without the alert or who sent it. */
        HIDES_ALERTS("missingClientCertificateFailsBothSidesWithAnAlert", "untrustedServerCertificateFailsTheClient"),
        /** A second beginHandshake() is silently ignored. */
        IGNORES_A_SECOND_BEGIN("beginHandshakeASecondTimeIsRefused"),
        /** send() before the handshake and after close is silently ignored. */
        IGNORES_SENDS_IT_CANNOT_MAKE("sendBeforeTheHandshakeCompletesIsRefused", "sendAfterLocalCloseThrowsClosed",
                "sendAfterThePeerClosedThrowsClosed"),
        /**
         * A backend that accepts only its own cookies keeps them from the listener, and so
         * runs a second cookie exchange behind it (breaks nothing for a backend that takes
         * the listener's cookie).
         */
        HIDES_BACKEND_COOKIES("theClientHelloWithTheListenersCookieIsAnsweredWithServerHelloNumberedOne",
                "aClientHelloInTwoFragmentsGetsOneCookieExchange", "aClientHelloInManySmallFragmentsGetsOneCookieExchange",
                "aRealClientWhoseClientHellosArriveFragmentedConnectsWithOneCookieExchange"),
        /**
         * A backend that accepts only its own cookies makes none for a ClientHello's first
         * fragment, and so runs a second cookie exchange behind the listener for every client
         * whose ClientHello is fragmented.
         */
        NO_BACKEND_COOKIE_FOR_FRAGMENTS("aClientHelloInTwoFragmentsGetsOneCookieExchange",
                "aClientHelloInManySmallFragmentsGetsOneCookieExchange",
                "aRealClientWhoseClientHellosArriveFragmentedConnectsWithOneCookieExchange"),
        /**
         * Tells the transport every datagram is the newest authenticated record, before the
         * session has even read it: a replayed or forged record from anywhere moves the peer.
         */
        MOVES_BEFORE_AUTHENTICATION(Set.of(Capability.CONNECTION_ID),
                "aFreshAuthenticatedRecordIsReportedNewestAndALateOlderOneIsNot",
                "replayedAndForgedRecordsAreNeverReportedNewest",
                "aRecordReplayedOrForgedFromAThirdAddressDoesNotMoveTheSession");

        private final Set<Capability> needs;
        private final List<String> caughtBy;

        Breakage(String... caughtBy) {
            this(Set.of(), caughtBy);
        }

        Breakage(Set<Capability> needs, String... caughtBy) {
            this.needs = needs;
            this.caughtBy = List.of(caughtBy);
        }

        /**
         * {@return what the wrapped provider must declare for the breakage to show (empty: any provider)}
         */
        public Set<Capability> needs() {
            return needs;
        }

        /** {@return the TCK test methods that must fail against a provider with this breakage} */
        public List<String> caughtBy() {
            return caughtBy;
        }

        /**
         * {@code real} with this rule broken.
         *
         * @param real the working provider to wrap
         * @return a provider that behaves as {@code real} except for this rule
         */
        public DtlsProvider apply(DtlsProvider real) {
            return BrokenProviders.apply(this, real);
        }
    }

    static DtlsProvider apply(Breakage b, DtlsProvider real) {
        UnaryOperator<DtlsConfig> sameConfig = c -> c;
        BrokenProvider.SessionWrapper sameSession = (listener, make) -> make.apply(listener);
        return switch (b) {
            case SKIPS_CLOSE_NOTIFY -> new BrokenProvider(real, sameConfig, SkipsCloseNotify::new, false);
            case IGNORES_VERIFIER_VETO -> new BrokenProvider(real,
                    c -> c.toBuilder().certificateVerifier(CertificateVerifier.ACCEPT_ALL).build(), sameSession, false);
            case DELIVERS_REPLAYS -> new BrokenProvider(real, sameConfig, DeliversReplays::new, false);
            case IGNORES_A_SECOND_BEGIN -> new BrokenProvider(real, sameConfig, (l, make) -> new ForwardingSession(make.apply(l)) {
                private boolean begun;

                @Override
                public void beginHandshake() {
                    if (!begun) {
                        begun = true;
                        super.beginHandshake();
                    }
                }
            }, false);
            case SENDS_ITS_OWN_DEFAULT_SNI -> new BrokenProvider(real, c -> c.serverName().isPresent() ? c
                    : c.toBuilder().serverName("default.dtls4j.test").hostnameVerification(false).build(), sameSession, false);
            case ACCEPTS_UNDECLARED_CAPABILITIES -> new BrokenProvider(real, sameConfig, sameSession, true);
            case NEVER_RETRANSMITS -> new BrokenProvider(real, sameConfig, (l, make) -> new ForwardingSession(make.apply(l)) {
                @Override
                public long nextTimeout() {
                    return NO_TIMEOUT;
                }

                @Override
                public void handleTimeout() {
                }
            }, false);
            case RETRANSMITS_WITHOUT_BACKOFF -> new BrokenProvider(real, sameConfig, NoBackoff::new, false);
            case NEVER_REPORTS_HANDSHAKE_TIMEOUT -> new BrokenProvider(real, sameConfig,
                    (l, make) -> make.apply(new ForwardingListener(l) {
                        @Override
                        public void onFailed(DtlsException failure) {
                            if (!(failure instanceof DtlsHandshakeTimeoutException)) {
                                super.onFailed(failure);
                            }
                        }
                    }), false);
            case LEAKS_A_THREAD -> new BrokenProvider(real, sameConfig, (l, make) -> {
                Thread t = new Thread(() -> LockSupport.parkNanos(30_000_000_000L), "dtls4j-broken-leak");
                t.setDaemon(true);
                t.start();
                return make.apply(l);
            }, false);
            case DIES_ON_GARBAGE -> new BrokenProvider(real, sameConfig, DiesOnGarbage::new, false);
            case PRETENDS_TO_UPDATE_KEYS -> new BrokenProvider(real, sameConfig, (l, make) -> new ForwardingSession(make.apply(l)) {
                @Override
                public void updateKeys() {
                }
            }, false);
            case MISREPORTS_CIPHER_SUITE -> new BrokenProvider(real, sameConfig, (l, make) -> make.apply(new ForwardingListener(l) {
                @Override
                public void onHandshakeComplete(DtlsSessionInfo info) {
                    super.onHandshakeComplete(DtlsSessionInfo.builder(info.protocolVersion(), "TLS_NULL_WITH_NULL_NULL")
                            .peerCertificates(info.peerCertificates()).build());
                }
            }), false);
            case REORDERS_RECORDS -> new BrokenProvider(real, sameConfig, (l, make) -> make.apply(new ForwardingListener(l) {
                private byte[] held;

                @Override
                public void onRecord(ByteBuffer record) {
                    if (held == null) {
                        held = copy(record);
                        return;
                    }
                    super.onRecord(record);
                    super.onRecord(ByteBuffer.wrap(held));
                    held = null;
                }
            }), false);
            case TRUNCATES_OVERSIZED_RECORDS -> new BrokenProvider(real, sameConfig, (l, make) -> new ForwardingSession(make.apply(l)) {
                @Override
                public void send(ByteBuffer record) {
                    if (record.remaining() > maxRecordSize()) {
                        record.limit(record.position() + maxRecordSize());
                    }
                    super.send(record);
                }
            }, false);
            case COALESCES_DATAGRAMS -> new BrokenProvider(real, sameConfig, Coalesces::new, false);
            case IGNORES_CLIENT_AUTH_REQUIREMENT -> new BrokenProvider(real,
                    c -> ConfigFacts.peerVerification(c, DtlsRole.SERVER) == PeerVerification.NONE ? c
                            : c.toBuilder().peerVerification(PeerVerification.NONE).build(), sameSession, false);
            case SKIPS_CHAIN_VALIDATION -> new BrokenProvider(real,
                    c -> c.toBuilder().peerVerification(PeerVerification.NONE).build(), sameSession, false);
            case HIDES_ALERTS -> new BrokenProvider(real, sameConfig, (l, make) -> make.apply(new ForwardingListener(l) {
                @Override
                public void onFailed(DtlsException failure) {
                    super.onFailed(failure instanceof DtlsAlertException ? new DtlsException("handshake failed") : failure);
                }
            }), false);
            case IGNORES_SENDS_IT_CANNOT_MAKE -> new BrokenProvider(real, sameConfig, (l, make) -> new ForwardingSession(make.apply(l)) {
                @Override
                public void send(ByteBuffer record) {
                    if (state() == DtlsSessionState.ESTABLISHED) {
                        super.send(record);
                    }
                }
            }, false);
            case HIDES_BACKEND_COOKIES -> new BrokenProvider(real, sameConfig, sameSession, false,
                    BrokenProvider.Cookies.HIDDEN);
            case NO_BACKEND_COOKIE_FOR_FRAGMENTS -> new BrokenProvider(real, sameConfig, sameSession, false,
                    BrokenProvider.Cookies.NONE_FOR_FRAGMENTS);
            case MOVES_BEFORE_AUTHENTICATION -> new BrokenProvider(real, sameConfig, (l, make) -> new ForwardingSession(make.apply(l)) {
                @Override
                public void receive(ByteBuffer datagram) {
                    l.onNewestRecordAuthenticated();
                    super.receive(datagram);
                }
            }, false);
        };
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Drops everything the real session emits while it closes. */
    private static final class SkipsCloseNotify extends ForwardingSession {
        private final Gate gate;

        private SkipsCloseNotify(DtlsSessionListener listener, Function<DtlsSessionListener, DtlsSession> make) {
            this(new Gate(listener), make);
        }

        private SkipsCloseNotify(Gate gate, Function<DtlsSessionListener, DtlsSession> make) {
            super(make.apply(gate));
            this.gate = gate;
        }

        @Override
        public void close() {
            gate.open = false;
            super.close();
        }
    }

    private static final class Gate extends ForwardingListener {
        volatile boolean open = true;

        Gate(DtlsSessionListener delegate) {
            super(delegate);
        }

        @Override
        public void onDatagram(ByteBuffer datagram) {
            if (open) {
                super.onDatagram(datagram);
            }
        }
    }

    /** Remembers which records each datagram produced and produces them again for a copy. */
    private static final class DeliversReplays extends ForwardingSession {
        private final Recorder recorder;

        private DeliversReplays(DtlsSessionListener listener, Function<DtlsSessionListener, DtlsSession> make) {
            this(new Recorder(listener), make);
        }

        private DeliversReplays(Recorder recorder, Function<DtlsSessionListener, DtlsSession> make) {
            super(make.apply(recorder));
            this.recorder = recorder;
        }

        @Override
        public void receive(ByteBuffer datagram) {
            ByteBuffer key = ByteBuffer.wrap(copy(datagram));
            List<byte[]> earlier = recorder.byDatagram.get(key);
            if (earlier != null) {
                for (byte[] r : earlier) {
                    recorder.delegate.onRecord(ByteBuffer.wrap(r));
                }
                datagram.position(datagram.limit());
                return;
            }
            recorder.current = new ArrayList<>();
            super.receive(datagram);
            recorder.byDatagram.put(key, recorder.current);
        }
    }

    private static final class Recorder extends ForwardingListener {
        final Map<ByteBuffer, List<byte[]>> byDatagram = new HashMap<>();
        List<byte[]> current = new ArrayList<>();

        Recorder(DtlsSessionListener delegate) {
            super(delegate);
        }

        @Override
        public void onRecord(ByteBuffer record) {
            current.add(copy(record));
            super.onRecord(record);
        }
    }

    /** Re-sends the last datagrams it saw every initial interval, ignoring the real timer. */
    private static final class NoBackoff extends ForwardingSession {
        private final LastFlight flight;
        private long due = NO_TIMEOUT;
        private long interval;

        private NoBackoff(DtlsSessionListener listener, Function<DtlsSessionListener, DtlsSession> make) {
            this(new LastFlight(listener), make);
        }

        private NoBackoff(LastFlight flight, Function<DtlsSessionListener, DtlsSession> make) {
            super(make.apply(flight));
            this.flight = flight;
        }

        @Override
        public void beginHandshake() {
            super.beginHandshake();
            interval = 50_000_000L;
            due = System.nanoTime() + interval;
        }

        @Override
        public long nextTimeout() {
            return state() == DtlsSessionState.HANDSHAKING ? due : super.nextTimeout();
        }

        @Override
        public void handleTimeout() {
            if (state() == DtlsSessionState.HANDSHAKING && System.nanoTime() - due >= 0) {
                for (byte[] d : flight.last) {
                    flight.delegate.onDatagram(ByteBuffer.wrap(d));
                }
                due = System.nanoTime() + interval;
            }
        }
    }

    private static final class LastFlight extends ForwardingListener {
        final List<byte[]> last = new ArrayList<>();

        LastFlight(DtlsSessionListener delegate) {
            super(delegate);
        }

        @Override
        public void onDatagram(ByteBuffer datagram) {
            last.clear();
            last.add(copy(datagram));
            super.onDatagram(datagram);
        }
    }

    /** Fails the session on the first datagram that does not start with a record header. */
    private static final class DiesOnGarbage extends ForwardingSession {
        private final DtlsSessionListener listener;
        private boolean dead;

        private DiesOnGarbage(DtlsSessionListener listener, Function<DtlsSessionListener, DtlsSession> make) {
            super(make.apply(listener));
            this.listener = listener;
        }

        @Override
        public void receive(ByteBuffer datagram) {
            if (dead) {
                return;
            }
            int type = datagram.remaining() > 0 ? datagram.get(datagram.position()) & 0xff : -1;
            if (datagram.remaining() < 13 || type < 20 || type > 25) {
                dead = true;
                listener.onFailed(new DtlsAlertException(DtlsAlert.DECODE_ERROR, DtlsAlertException.Origin.LOCAL,
                        "garbage"));
                return;
            }
            super.receive(datagram);
        }
    }

    /** Emits the datagrams of one call as a single datagram. */
    private static final class Coalesces extends ForwardingSession {
        private final Joiner joiner;

        private Coalesces(DtlsSessionListener listener, Function<DtlsSessionListener, DtlsSession> make) {
            this(new Joiner(listener), make);
        }

        private Coalesces(Joiner joiner, Function<DtlsSessionListener, DtlsSession> make) {
            super(make.apply(joiner));
            this.joiner = joiner;
        }

        @Override
        public void beginHandshake() {
            joiner.collect(super::beginHandshake);
        }

        @Override
        public void receive(ByteBuffer datagram) {
            joiner.collect(() -> super.receive(datagram));
        }

        @Override
        public void handleTimeout() {
            joiner.collect(super::handleTimeout);
        }
    }

    private static final class Joiner extends ForwardingListener {
        private java.io.ByteArrayOutputStream pending;

        Joiner(DtlsSessionListener delegate) {
            super(delegate);
        }

        void collect(Runnable call) {
            pending = new java.io.ByteArrayOutputStream();
            try {
                call.run();
            } finally {
                byte[] all = pending.toByteArray();
                pending = null;
                if (all.length > 0) {
                    super.onDatagram(ByteBuffer.wrap(all));
                }
            }
        }

        @Override
        public void onDatagram(ByteBuffer datagram) {
            if (pending == null) {
                super.onDatagram(datagram);
            } else {
                pending.writeBytes(copy(datagram));
            }
        }
    }
}
