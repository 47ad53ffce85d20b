package org.dtls4j.bench;

import java.lang.management.ManagementFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.KeyAgreement;

/**
 * The floor under a server's full handshake: the public-key operations one mutual-auth ECDSA
 * P-256 handshake with an X25519 key exchange makes the server do (verify the client's
 * CertificateVerify, verify the client certificate's signature, sign the ServerKeyExchange,
 * make an X25519 key pair and agree on the secret), each timed alone on this thread, in the
 * JDK's providers (what JSSE and Scandium use) and in BouncyCastle's lightweight API (what the
 * bouncycastle provider's {@code BcTlsCrypto} uses). Prints microseconds of this thread's CPU
 * per operation and their sums. A certificate the JDK has seen before costs no verify: its
 * {@code CertificateFactory} hands back the same cached object for the same bytes, and that
 * object remembers its verified signature (so in {@link ServerHandshakeCost}, where every client
 * shows the same certificate, the PKIX check of the client chain skips the signature).
 *
 * <pre>java -cp benchmarks/target/dtls4j-benchmarks.jar org.dtls4j.bench.EcOperationCost [ITERATIONS]</pre>
 *
 * <p>Thread-safe: a main that keeps no state between calls.
 */
public final class EcOperationCost {

    private EcOperationCost() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signer = ec.generateKeyPair();
        byte[] message = new byte[200];
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(signer.getPrivate());
        s.update(message);
        byte[] signature = s.sign();
        KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
        KeyPair peer = x.generateKeyPair();
        double verify = 0;
        double sign = 0;
        double exchange = 0;
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            verify = perOp(n, () -> {
                Signature v = Signature.getInstance("SHA256withECDSA");
                v.initVerify(signer.getPublic());
                v.update(message);
                if (!v.verify(signature)) {
                    throw new IllegalStateException("the signature does not verify");
                }
            });
            sign = perOp(n, () -> {
                Signature g = Signature.getInstance("SHA256withECDSA");
                g.initSign(signer.getPrivate());
                g.update(message);
                g.sign();
            });
            exchange = perOp(n, () -> {
                KeyPair mine = x.generateKeyPair();
                KeyAgreement a = KeyAgreement.getInstance("X25519");
                a.init(mine.getPrivate());
                a.doPhase(peer.getPublic(), true);
                a.generateSecret();
            });
        }
        double[] bc = bouncyCastle(n, message);
        System.out.printf("JDK %s, thread CPU per operation, %d each, after as many to warm up:%n%n",
                System.getProperty("java.version"), n);
        System.out.printf("| crypto | ECDSA P-256 verify | ECDSA P-256 sign | X25519 key pair + agreement"
                + " | a handshake, certificate seen before (verify + sign + exchange)"
                + " | a handshake, new certificate (2 verify + sign + exchange) |%n|---|---:|---:|---:|---:|---:|%n");
        row("JDK (SunEC)", verify, sign, exchange);
        row("BouncyCastle lightweight", bc[0], bc[1], bc[2]);
    }

    private static void row(String name, double verify, double sign, double exchange) {
        System.out.printf("| %s | %.0f µs | %.0f µs | %.0f µs | %.0f µs | %.0f µs |%n", name, verify, sign, exchange,
                verify + sign + exchange, 2 * verify + sign + exchange);
    }

    /** Verify, sign and exchange in BouncyCastle's lightweight API, as {@link #main} does them in the JDK's. */
    private static double[] bouncyCastle(int n, byte[] message) throws Exception {
        var curve = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1");
        var domain = new org.bouncycastle.crypto.params.ECDomainParameters(curve);
        var generator = new org.bouncycastle.crypto.generators.ECKeyPairGenerator();
        generator.init(new org.bouncycastle.crypto.params.ECKeyGenerationParameters(domain, new java.security.SecureRandom()));
        var keys = generator.generateKeyPair();
        var digest = new byte[32];
        var sha = new org.bouncycastle.crypto.digests.SHA256Digest();
        sha.update(message, 0, message.length);
        sha.doFinal(digest, 0);
        var signer = new org.bouncycastle.crypto.signers.ECDSASigner(
                new org.bouncycastle.crypto.signers.HMacDSAKCalculator(new org.bouncycastle.crypto.digests.SHA256Digest()));
        signer.init(true, keys.getPrivate());
        java.math.BigInteger[] rs = signer.generateSignature(digest);
        byte[] encoded = ((org.bouncycastle.crypto.params.ECPublicKeyParameters) keys.getPublic()).getQ().getEncoded(false);
        var peer = new org.bouncycastle.crypto.params.X25519PrivateKeyParameters(new java.security.SecureRandom())
                .generatePublicKey();
        double[] out = new double[3];
        for (int round = 0; round < 2; round++) {
            out[0] = perOp(n, () -> {
                // a point decoded anew, as from each handshake's certificate: BouncyCastle keeps
                // precomputations on a point, and one reused point would make verifying look cheap
                var v = new org.bouncycastle.crypto.signers.ECDSASigner();
                v.init(false, new org.bouncycastle.crypto.params.ECPublicKeyParameters(curve.getCurve().decodePoint(encoded),
                        domain));
                if (!v.verifySignature(digest, rs[0], rs[1])) {
                    throw new IllegalStateException("the signature does not verify");
                }
            });
            out[1] = perOp(n, () -> {
                var g = new org.bouncycastle.crypto.signers.ECDSASigner(
                        new org.bouncycastle.crypto.signers.HMacDSAKCalculator(new org.bouncycastle.crypto.digests.SHA256Digest()));
                g.init(true, keys.getPrivate());
                g.generateSignature(digest);
            });
            out[2] = perOp(n, () -> {
                var mine = new org.bouncycastle.crypto.params.X25519PrivateKeyParameters(new java.security.SecureRandom());
                mine.generatePublicKey();
                byte[] secret = new byte[32];
                mine.generateSecret(peer, secret, 0);
            });
        }
        return out;
    }

    private interface Op {
        void run() throws Exception;
    }

    /** Microseconds of this thread's CPU per run of {@code op}. */
    private static double perOp(int n, Op op) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return (threads.getCurrentThreadCpuTime() - t0) / 1e3 / n;
    }
}
