package org.dtls4j.spi;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * X.509 certificates decoded from their DER encoding, with the certificates decoded lately kept
 * for the next handshake that shows the same bytes: a native provider hands every peer chain
 * over as encodings, for each session info, full handshake or resumed, and a server's clients
 * show the same few certificates again and again.
 *
 * <p>Why not just {@link CertificateFactory}: it keeps a cache of its own, but a hit there still
 * costs 4 µs per certificate in a warm tight loop and more in a server (JDK 17: it copies the
 * stream and looks the bytes up under a lock); a two-certificate chain took 33 µs there and
 * 1 µs here in one run of {@code HandshakePieces} (docs/PERFORMANCE.md), where a hit costs the
 * hash and the comparison of the bytes. A hit is decided by comparing every byte, so
 * the certificate handed back is exactly the one these bytes encode; {@link X509Certificate}s
 * are immutable, so one object serves every caller.
 *
 * <p>Thread-safe and lock-free: a small direct-mapped table of (encoding, certificate) pairs;
 * two threads that miss on the same slot at once each decode, and the last one's pair stays.
 * Memory is bounded by the table's {@value #SLOTS} slots.
 *
 * @since 0.2
 */
public final class DecodedCertificates {

    /** Slots of the table: more than the distinct certificates a server sees in a burst of handshakes, usually. */
    static final int SLOTS = 256;

    private static final AtomicReferenceArray<Entry> TABLE = new AtomicReferenceArray<>(SLOTS);

    private record Entry(byte[] der, X509Certificate certificate) {
    }

    private DecodedCertificates() {
    }

    /**
     * The certificate that {@code der} encodes, decoded now or kept from an earlier call with the
     * same bytes.
     *
     * @param der one certificate's DER encoding; not kept beyond this call unless it decodes
     *            (then a copy is kept)
     * @return the certificate
     * @throws CertificateException if {@code der} is not an X.509 certificate
     */
    public static X509Certificate decode(byte[] der) throws CertificateException {
        Objects.requireNonNull(der, "der");
        int hash = Arrays.hashCode(der);
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        Entry e = TABLE.get(slot);
        if (e != null && Arrays.equals(e.der, der)) {
            return e.certificate;
        }
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        TABLE.set(slot, new Entry(der.clone(), c));
        return c;
    }
}
