package org.dtls4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.TestPki;
import org.junit.jupiter.api.Test;

class DecodedCertificatesTest {

    @Test
    void decodesTheCertificateItsBytesEncode() throws Exception {
        TestPki.Issued ca = TestPki.ca("Decoded CA");
        X509Certificate leaf = TestPki.leaf(ca, "decoded").certificate();

        X509Certificate decoded = DecodedCertificates.decode(leaf.getEncoded());

        assertThat(decoded).as("the certificate the bytes encode").isEqualTo(leaf);
        assertThat(decoded.getEncoded()).isEqualTo(leaf.getEncoded());
    }

    @Test
    void theSameBytesAgainGiveTheSameObjectAndTheCallersArrayIsNotKept() throws Exception {
        byte[] der = TestPki.leaf(TestPki.ca("Kept CA"), "kept").certificate().getEncoded();
        byte[] copy = der.clone();

        X509Certificate first = DecodedCertificates.decode(der);
        Arrays.fill(der, (byte) 0); // a caller that reuses its buffer must not change what is kept
        X509Certificate second = DecodedCertificates.decode(copy);

        assertThat(second).as("kept from the first call").isSameAs(first);
        assertThat(second.getEncoded()).isEqualTo(copy);
    }

    @Test
    void bytesThatDifferGiveTheirOwnCertificateEvenInTheSameSlot() throws Exception {
        byte[] der = TestPki.leaf(TestPki.ca("Many CA"), "many").certificate().getEncoded();
        // More encodings than slots, so that some share a slot: the same certificate with the last
        // two bytes of its signature changed (still DER, and nothing here checks signatures).
        List<byte[]> encodings = new ArrayList<>();
        for (int i = 0; i < DecodedCertificates.SLOTS + 20; i++) {
            byte[] variant = der.clone();
            variant[variant.length - 2] = (byte) (i >>> 8);
            variant[variant.length - 1] = (byte) i;
            encodings.add(variant);
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < encodings.size(); i++) {
                assertThat(DecodedCertificates.decode(encodings.get(i)).getEncoded()).as("pass %d, encoding %d", pass, i)
                        .isEqualTo(encodings.get(i));
            }
        }
    }

    @Test
    void bytesThatAreNoCertificateAreRefused() {
        assertThatThrownBy(() -> DecodedCertificates.decode(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isInstanceOf(CertificateException.class);
    }
}
