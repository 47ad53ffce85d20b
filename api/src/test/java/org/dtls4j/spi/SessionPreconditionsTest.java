package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dtls4j.DtlsSessionState.CLOSED;
import static org.dtls4j.DtlsSessionState.ESTABLISHED;
import static org.dtls4j.DtlsSessionState.FAILED;
import static org.dtls4j.DtlsSessionState.HANDSHAKING;
import static org.dtls4j.DtlsSessionState.NEW;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.dtls4j.Capability;
import org.dtls4j.DtlsClosedException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConfigurationException;
import org.dtls4j.DtlsRecordTooLargeException;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionInfo;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.DtlsSessionState;
import org.dtls4j.DtlsUnsupportedCapabilityException;
import org.dtls4j.DtlsVersionException;
import org.dtls4j.ProtocolVersion;
import org.junit.jupiter.api.Test;

class SessionPreconditionsTest {

    @Test
    void aHandshakeBeginsOnlyFromNew() {
        assertThatCode(() -> SessionPreconditions.requireBeginnable(NEW)).doesNotThrowAnyException();
        for (DtlsSessionState s : new DtlsSessionState[] {HANDSHAKING, ESTABLISHED, CLOSED, FAILED}) {
            assertThatThrownBy(() -> SessionPreconditions.requireBeginnable(s)).as("%s", s)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already called");
        }
    }

    @Test
    void keysAreUpdatedOnlyInAnEstablishedDtls13Session() {
        Optional<DtlsSessionInfo> dtls13 = Optional.of(DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_3, "TLS_AES_128_GCM_SHA256").build());
        Optional<DtlsSessionInfo> dtls12 = Optional.of(
                DtlsSessionInfo.builder(ProtocolVersion.DTLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build());
        assertThatCode(() -> SessionPreconditions.requireKeyUpdatable(ESTABLISHED, dtls13)).doesNotThrowAnyException();
        assertThatThrownBy(() -> SessionPreconditions.requireKeyUpdatable(ESTABLISHED, dtls12))
                .isInstanceOf(DtlsVersionException.class)
                .hasMessage("a key update is DTLSv1.3 only; this session negotiated DTLSv1.2"
                        + " (to have it, enable DTLSv1.3 on both sides)");
        assertThatThrownBy(() -> SessionPreconditions.requireKeyUpdatable(HANDSHAKING, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("handshaking");
        assertThatThrownBy(() -> SessionPreconditions.requireKeyUpdatable(CLOSED, dtls13)).isInstanceOf(DtlsClosedException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireKeyUpdatable(FAILED, dtls12)).isInstanceOf(DtlsClosedException.class);
    }

    @Test
    void sendWaitsForTheHandshakeStopsAtTheEndAndKeepsToTheRecordSize() {
        assertThatThrownBy(() -> SessionPreconditions.requireSendable(NEW, 1, 100)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireSendable(HANDSHAKING, 1, 100))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireSendable(CLOSED, 1, 100)).isInstanceOf(DtlsClosedException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireSendable(FAILED, 1, 100)).isInstanceOf(DtlsClosedException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireSendable(ESTABLISHED, 101, 100))
                .isInstanceOf(DtlsRecordTooLargeException.class);
        assertThatCode(() -> SessionPreconditions.requireSendable(ESTABLISHED, 100, 100)).doesNotThrowAnyException();
        assertThatCode(() -> SessionPreconditions.requireSendable(ESTABLISHED, 0, 100)).doesNotThrowAnyException();
    }

    @Test
    void exportArgumentsAreChecked() {
        assertThatCode(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-x", 1))
                .doesNotThrowAnyException();
        assertThatCode(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-x",
                new byte[SessionPreconditions.MAX_EXPORT_CONTEXT_LENGTH], SessionPreconditions.MAX_EXPORT_LENGTH))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SessionPreconditions.requireExportable(ESTABLISHED, "", 16)).as("empty label")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-é", 16)).as("non-ASCII")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-x", 0)).as("length 0")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-x", -1)).as("negative")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-x",
                SessionPreconditions.MAX_EXPORT_LENGTH + 1)).as("too long").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionPreconditions.requireExportable(ESTABLISHED, "EXPERIMENTAL-x",
                new byte[SessionPreconditions.MAX_EXPORT_CONTEXT_LENGTH + 1], 16)).as("context of 2^16 bytes")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exportNeedsAnEstablishedSession() {
        for (DtlsSessionState s : new DtlsSessionState[] {NEW, HANDSHAKING, CLOSED, FAILED}) {
            assertThatThrownBy(() -> SessionPreconditions.requireExportable(s, "EXPERIMENTAL-x", 16)).as("%s", s)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anExportLargerThanTheBackendsPrfInputIsRefusedWithATypedErrorNamingTheLongestContext() {
        String label = "EXPERIMENTAL-dtls4j"; // 19 bytes: 19 + 64 + 2 + 43 = 128
        assertThatCode(() -> SessionPreconditions.requireExportFits("p", label, new byte[43], 128)).doesNotThrowAnyException();
        assertThatCode(() -> SessionPreconditions.requireExportFits("p", label, 128)).doesNotThrowAnyException();
        assertThatThrownBy(() -> SessionPreconditions.requireExportFits("p", label, new byte[44], 128))
                .isInstanceOfSatisfying(DtlsUnsupportedCapabilityException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.capability()).isEqualTo(Capability.KEYING_MATERIAL_EXPORTER);
                    org.assertj.core.api.Assertions.assertThat(e.provider()).isEqualTo("p");
                })
                .hasMessageContaining("at most 43 bytes").hasMessageContaining("129");
        assertThatThrownBy(() -> SessionPreconditions.requireExportFits("p", "x".repeat(65), 128))
                .isInstanceOf(DtlsUnsupportedCapabilityException.class).hasMessageContaining("shorter label");
    }

    @Test
    void aSessionIsCreatableOnlyWithBothArgumentsFromAnOpenContextAndAServerOnlyWithSomethingToAuthenticateWith() {
        DtlsConfig bare = DtlsConfig.builder().build();
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 4433);
        DtlsSessionListener listener = new DtlsSessionListener() {
            @Override
            public void onDatagram(java.nio.ByteBuffer datagram) {
            }

            @Override
            public void onRecord(java.nio.ByteBuffer record) {
            }
        };
        SessionPreconditions.requireCreatable(bare, DtlsRole.CLIENT, peer, listener, false);
        assertThatThrownBy(() -> SessionPreconditions.requireCreatable(bare, DtlsRole.CLIENT, null, listener, false))
                .isInstanceOf(NullPointerException.class).hasMessage("peer");
        assertThatThrownBy(() -> SessionPreconditions.requireCreatable(bare, DtlsRole.CLIENT, peer, null, false))
                .isInstanceOf(NullPointerException.class).hasMessage("listener");
        assertThatThrownBy(() -> SessionPreconditions.requireCreatable(bare, DtlsRole.CLIENT, peer, listener, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> SessionPreconditions.requireCreatable(bare, DtlsRole.SERVER, peer, listener, false))
                .isInstanceOf(DtlsConfigurationException.class).hasMessageContaining("credentials(...)")
                .hasMessageContaining("pskKeyStore(...)");
        DtlsConfig psk = DtlsConfig.builder().pskKeyStore(identity -> java.util.Optional.empty()).build();
        SessionPreconditions.requireCreatable(psk, DtlsRole.SERVER, peer, listener, false);
    }
}
