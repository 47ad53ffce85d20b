package org.dtls4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsAlertTest {

    @Test
    void everyKnownCodeMapsBackToItsAlert() {
        for (DtlsAlert alert : DtlsAlert.values()) {
            if (alert != DtlsAlert.UNKNOWN) {
                assertThat(DtlsAlert.ofCode(alert.code())).as("ofCode(%d)", alert.code()).isEqualTo(alert);
            }
        }
    }

    @Test
    void codesAreTheRfcNumbers() {
        assertThat(DtlsAlert.CLOSE_NOTIFY.code()).isZero();
        assertThat(DtlsAlert.HANDSHAKE_FAILURE.code()).isEqualTo(40);
        assertThat(DtlsAlert.BAD_CERTIFICATE.code()).isEqualTo(42);
        assertThat(DtlsAlert.UNKNOWN_CA.code()).isEqualTo(48);
        assertThat(DtlsAlert.UNKNOWN_PSK_IDENTITY.code()).isEqualTo(115);
        assertThat(DtlsAlert.NO_APPLICATION_PROTOCOL.code()).isEqualTo(120);
        assertThat(DtlsAlert.UNKNOWN.code()).isEqualTo(-1);
        assertThat(Arrays.stream(DtlsAlert.values()).mapToInt(DtlsAlert::code).distinct().count())
                .as("codes are unique").isEqualTo(DtlsAlert.values().length);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1, 9, 85, 121, 255, 256, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void unlistedCodesAreUnknown(int code) {
        assertThat(DtlsAlert.ofCode(code)).as("ofCode(%d)", code).isEqualTo(DtlsAlert.UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad_certificate", "BAD_CERTIFICATE", "bad certificate", "Bad-Certificate", " bad_certificate "})
    void namesAreMatchedTheWaysBackendsPrintThem(String name) {
        assertThat(DtlsAlert.ofName(name)).as("ofName(\"%s\")", name).isEqualTo(DtlsAlert.BAD_CERTIFICATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no such alert", "bad_certificat", "42"})
    void unknownNamesAreUnknown(String name) {
        assertThat(DtlsAlert.ofName(name)).as("ofName(\"%s\")", name).isEqualTo(DtlsAlert.UNKNOWN);
    }

    @Test
    void toStringIsTheRfcNameAndOfNameReadsItBack() {
        assertThat(DtlsAlert.UNKNOWN_PSK_IDENTITY).hasToString("unknown_psk_identity");
        for (DtlsAlert alert : DtlsAlert.values()) {
            assertThat(DtlsAlert.ofName(alert.toString())).as("ofName(%s)", alert).isEqualTo(alert);
        }
    }

    @Test
    void certificateAlertsAreExactlyTheCertificateRefusals() {
        Set<DtlsAlert> expected = EnumSet.of(DtlsAlert.BAD_CERTIFICATE, DtlsAlert.UNSUPPORTED_CERTIFICATE,
                DtlsAlert.CERTIFICATE_REVOKED, DtlsAlert.CERTIFICATE_EXPIRED, DtlsAlert.CERTIFICATE_UNKNOWN,
                DtlsAlert.UNKNOWN_CA, DtlsAlert.CERTIFICATE_REQUIRED, DtlsAlert.NO_CERTIFICATE,
                DtlsAlert.BAD_CERTIFICATE_STATUS_RESPONSE);

        for (DtlsAlert alert : DtlsAlert.values()) {
            assertThat(alert.isCertificateAlert()).as("%s.isCertificateAlert()", alert).isEqualTo(expected.contains(alert));
        }
    }
}
