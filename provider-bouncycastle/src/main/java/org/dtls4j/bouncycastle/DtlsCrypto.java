package org.dtls4j.bouncycastle;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JceAEADCipherImpl;

/**
 * BouncyCastle's lightweight crypto (its handshakes are several times faster than with
 * {@code JcaTlsCrypto}), AES-GCM records from the JDK, and record ciphers that end a
 * handshake whose keys cannot match.
 *
 * <p>BouncyCastle's DTLS record layer drops every record that fails authentication
 * ({@code bad_record_mac}) silently, as RFC 6347 section 4.1.2.7 allows. During a
 * handshake whose peers derived different keys (a wrong PSK), that means the peer's
 * Finished is dropped forever and the handshake only ends at its timeout, with no alert.
 * A {@link GuardedCipher} therefore turns the second failed Finished-epoch handshake
 * record, before any record of the epoch has authenticated, into a fatal
 * {@code decrypt_error}. Application data (and garbage labelled as such) is never counted,
 * and once one record of the epoch has authenticated the cipher drops bad records silently
 * as before.
 *
 * <p>Thread-safe as {@link BcTlsCrypto} is; each cipher belongs to one connection.
 */
final class DtlsCrypto extends BcTlsCrypto {

    /** Failed handshake records of an epoch, before any success, that end the handshake. */
    static final int FAILED_FINISHED_LIMIT = 2;

    private final JcaTlsCrypto jdk;
    private final JcaJceHelper jdkHelper = new DefaultJcaJceHelper();

    /**
     * @param jdkGcm whether AES-GCM records use the JDK's cipher (intrinsics; roughly ten
     *        times BouncyCastle's pure-Java GCM) instead of BouncyCastle's own
     */
    DtlsCrypto(SecureRandom random, boolean jdkGcm) {
        super(random);
        this.jdk = jdkGcm ? new JcaTlsCryptoProvider().create(random) : null;
    }

    /**
     * AES-GCM from the JDK when it has it: the handshake keeps BouncyCastle's fast
     * lightweight primitives, bulk records get the JDK's AES-NI/CLMUL intrinsics.
     */
    @Override
    protected TlsAEADCipher createCipher_AES_GCM(TlsCryptoParameters params, int cipherKeySize, int macSize)
            throws IOException {
        if (jdk != null) {
            try {
                return new TlsAEADCipher(params, jdkGcm(cipherKeySize, true), jdkGcm(cipherKeySize, false),
                        cipherKeySize, macSize, TlsAEADCipher.AEAD_GCM, null); // null: the default nonces, as BouncyCastle's own
            } catch (GeneralSecurityException noJdkGcm) {
                // fall back to BouncyCastle's own GCM below
            }
        }
        return super.createCipher_AES_GCM(params, cipherKeySize, macSize);
    }

    private JceAEADCipherImpl jdkGcm(int keySize, boolean encrypting) throws GeneralSecurityException {
        return new JceAEADCipherImpl(jdk, jdkHelper, "AES/GCM/NoPadding", "AES", keySize, encrypting);
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        return new GuardedCipher(super.createCipher(params, encryptionAlgorithm, macAlgorithm));
    }

    /** A record cipher that notices keys that cannot match. Used by one connection at a time. */
    static final class GuardedCipher implements TlsCipher {
        private final TlsCipher delegate;
        private boolean authenticated;
        private int failedHandshakeRecords;

        GuardedCipher(TlsCipher delegate) {
            this.delegate = delegate;
        }

        @Override
        public TlsDecodeResult decodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion,
                                                byte[] ciphertext, int offset, int len) throws IOException {
            try {
                TlsDecodeResult r = delegate.decodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
                authenticated = true;
                return r;
            } catch (TlsFatalAlert e) {
                if (e.getAlertDescription() == AlertDescription.bad_record_mac && !authenticated
                        && recordType == ContentType.handshake && ++failedHandshakeRecords >= FAILED_FINISHED_LIMIT) {
                    throw new TlsFatalAlert(AlertDescription.decrypt_error,
                            "the peer's Finished does not authenticate: the two sides derived different keys"
                            + " (a wrong pre-shared key?)", e);
                }
                throw e;
            }
        }

        @Override
        public TlsEncodeResult encodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion,
                                               int headerAllocation, byte[] plaintext, int offset, int len)
                throws IOException {
            return delegate.encodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);
        }

        @Override
        public int getCiphertextDecodeLimit(int plaintextLimit) {
            return delegate.getCiphertextDecodeLimit(plaintextLimit);
        }

        @Override
        public int getCiphertextEncodeLimit(int plaintextLimit) {
            return delegate.getCiphertextEncodeLimit(plaintextLimit);
        }

        @Override
        public int getPlaintextDecodeLimit(int ciphertextLimit) {
            return delegate.getPlaintextDecodeLimit(ciphertextLimit);
        }

        @Override
        public int getPlaintextEncodeLimit(int ciphertextLimit) {
            return delegate.getPlaintextEncodeLimit(ciphertextLimit);
        }

        @Override
        public void rekeyDecoder() throws IOException {
            delegate.rekeyDecoder();
        }

        @Override
        public void rekeyEncoder() throws IOException {
            delegate.rekeyEncoder();
        }

        @Override
        public boolean usesOpaqueRecordTypeDecode() {
            return delegate.usesOpaqueRecordTypeDecode();
        }

        @Override
        public boolean usesOpaqueRecordTypeEncode() {
            return delegate.usesOpaqueRecordTypeEncode();
        }
    }
}
