package org.dtls4j.bouncycastle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.UseSRTPData;
import org.junit.jupiter.api.Test;

class SrtpTest {

    private static final List<String> OFFER = List.of("SRTP_AEAD_AES_128_GCM", "SRTP_AES128_CM_SHA1_80");

    @Test
    void theClientOffersItsProfilesInOrderWithoutAnMki() {
        UseSRTPData offer = Srtp.offer(OFFER);
        assertThat(offer.getProtectionProfiles()).containsExactly(0x0007, 0x0001);
        assertThat(offer.getMki()).isEmpty();
        assertThat(Srtp.offer(List.of())).as("nothing configured: no use_srtp").isNull();
    }

    @Test
    void theServerPicksItsOwnFirstChoiceAmongTheOffered() {
        UseSRTPData offer = Srtp.offer(OFFER);
        assertThat(Srtp.choose(List.of("SRTP_AES128_CM_SHA1_80", "SRTP_AEAD_AES_128_GCM"), offer))
                .isEqualTo("SRTP_AES128_CM_SHA1_80");
        assertThat(Srtp.choose(List.of("SRTP_AEAD_AES_256_GCM"), offer)).as("nothing shared").isEmpty();
        assertThat(Srtp.choose(List.of("SRTP_AES128_CM_SHA1_80"), null)).as("no offer").isEmpty();
        assertThat(Srtp.answer("SRTP_AES128_CM_SHA1_80").getProtectionProfiles()).containsExactly(0x0001);
        assertThat(Srtp.answer("")).isNull();
    }

    @Test
    void anAnswerThatIsNotOneOfferedProfileFailsWithIllegalParameter() throws TlsFatalAlert {
        assertThat(Srtp.chosenByServer(OFFER, new UseSRTPData(new int[] {0x0001}, new byte[0])))
                .isEqualTo("SRTP_AES128_CM_SHA1_80");
        assertThat(Srtp.chosenByServer(OFFER, null)).as("no use_srtp in the answer").isEmpty();
        for (UseSRTPData bad : List.of(
                new UseSRTPData(new int[] {0x0002}, new byte[0]),
                new UseSRTPData(new int[] {0x0001, 0x0007}, new byte[0]),
                new UseSRTPData(new int[] {0x0005}, new byte[0]),
                new UseSRTPData(new int[] {0x0001}, new byte[] {1}))) {
            assertThatThrownBy(() -> Srtp.chosenByServer(OFFER, bad))
                    .isInstanceOfSatisfying(TlsFatalAlert.class,
                            e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.illegal_parameter));
        }
    }
}
