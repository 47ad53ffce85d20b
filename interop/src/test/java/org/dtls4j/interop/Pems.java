package org.dtls4j.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.dtls4j.Credentials;

/** Writes the TCK's credentials as the PEM files the openssl command reads. */
final class Pems {

    private Pems() {
    }

    static Path certificates(Path dir, String name, Iterable<X509Certificate> chain) throws IOException {
        StringBuilder sb = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                sb.append(block("CERTIFICATE", c.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        return Files.writeString(dir.resolve(name), sb, StandardCharsets.US_ASCII);
    }

    static Path key(Path dir, String name, Credentials credentials) throws IOException {
        return Files.writeString(dir.resolve(name), block("PRIVATE KEY", credentials.privateKey().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
