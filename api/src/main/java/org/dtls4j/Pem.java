package org.dtls4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM forms {@code openssl} writes, with the JDK alone. SEC 1 and PKCS#1 keys
 * are wrapped into PKCS#8 so that the JDK's key factories can read them.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s:,-]*?)-----END \\1-----");

    /** rsaEncryption, 1.2.840.113549.1.1.1, with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** id-ecPublicKey, 1.2.840.10045.2.1, without the curve. */
    private static final byte[] EC_OID = hex("06072a8648ce3d0201");

    private Pem() {
    }

    static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem, source)) {
                if (b.type.equals("CERTIFICATE") || b.type.equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new DtlsConfigurationException(source + " holds a malformed certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new DtlsConfigurationException(source
                    + " holds no '-----BEGIN CERTIFICATE-----' block; give a PEM certificate file");
        }
        return out;
    }

    static PrivateKey privateKey(String pem, String source) {
        for (Block b : blocks(pem, source)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(b.der, source);
                case "EC PRIVATE KEY":
                    return pkcs8(ecToPkcs8(b.der, source), source);
                case "RSA PRIVATE KEY":
                    return pkcs8(sequence(concat(new byte[] {2, 1, 0}, RSA_ALGORITHM, tlv(0x04, b.der))), source);
                case "ENCRYPTED PRIVATE KEY":
                    throw new DtlsConfigurationException(source + " holds an encrypted private key;"
                            + " decrypt it first (openssl pkcs8 -in KEY -out PLAIN) or use a KeyStore");
                default:
                    // EC PARAMETERS and other blocks before the key are skipped
            }
        }
        throw new DtlsConfigurationException(source + " holds no private key block ('PRIVATE KEY',"
                + " 'EC PRIVATE KEY' or 'RSA PRIVATE KEY'); give the PEM key file");
    }

    private static PrivateKey pkcs8(byte[] der, String source) {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"EC", "RSA", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new DtlsConfigurationException(source + " holds a private key the JDK cannot read: "
                + (last == null ? "" : last.getMessage()), last);
    }

    /**
     * SEC 1 {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING,
     * [0] parameters, [1] publicKey }}: the curve OID moves into the PKCS#8 algorithm.
     */
    private static byte[] ecToPkcs8(byte[] sec1, String source) {
        Der outer = new Der(sec1, source);
        Der body = outer.enter(0x30);
        body.skip(0x02); // version
        body.skip(0x04); // private key octets
        byte[] curve = null;
        while (body.hasMore()) {
            int tag = body.peekTag();
            byte[] value = body.read(tag);
            if (tag == 0xa0) {
                curve = value; // the explicit tag holds the OID TLV
            }
        }
        if (curve == null || curve.length == 0 || curve[0] != 0x06) {
            throw new DtlsConfigurationException(source + ": EC PRIVATE KEY names no curve;"
                    + " convert it with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        byte[] algorithm = sequence(concat(EC_OID, curve));
        return sequence(concat(new byte[] {2, 1, 0}, algorithm, tlv(0x04, sec1)));
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String pem, String source) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) {
                throw new DtlsConfigurationException(source + " holds a '" + m.group(1)
                        + "' block with headers (legacy encryption); decrypt it or convert it to PKCS#8");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new DtlsConfigurationException(source + " holds a '" + m.group(1)
                        + "' block that is not valid base64", e);
            }
        }
        if (out.isEmpty()) {
            throw new DtlsConfigurationException(source + " is not PEM: no '-----BEGIN ...-----' block found");
        }
        return out;
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    /** Just enough DER to walk a SEC 1 key, with bounds checked on every read. */
    private static final class Der {
        private final byte[] buf;
        private int pos;
        private final int end;
        private final String source;

        Der(byte[] buf, String source) {
            this(buf, 0, buf.length, source);
        }

        private Der(byte[] buf, int pos, int end, String source) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
            this.source = source;
        }

        boolean hasMore() {
            return pos < end;
        }

        int peekTag() {
            need(1);
            return buf[pos] & 0xff;
        }

        Der enter(int tag) {
            int len = header(tag);
            Der inner = new Der(buf, pos, pos + len, source);
            pos += len;
            return inner;
        }

        void skip(int tag) {
            // not 'pos += header(tag)': that adds to pos as it was before header() moved it
            int len = header(tag);
            pos += len;
        }

        byte[] read(int tag) {
            int len = header(tag);
            byte[] v = java.util.Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return v;
        }

        private int header(int tag) {
            need(2);
            if ((buf[pos] & 0xff) != tag) {
                throw malformed();
            }
            pos++;
            int len = buf[pos++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3) {
                    throw malformed();
                }
                need(n);
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (buf[pos++] & 0xff);
                }
            }
            need(len);
            return len;
        }

        private void need(int n) {
            if (n < 0 || end - pos < n) {
                throw malformed();
            }
        }

        private DtlsConfigurationException malformed() {
            return new DtlsConfigurationException(source + " holds a malformed EC PRIVATE KEY");
        }
    }
}
