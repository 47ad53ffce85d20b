/**
 * The dtls4j provider over BouncyCastle's bctls ({@code DTLSClientProtocol} /
 * {@code DTLSServerProtocol}).
 *
 * <p>On the module path, the cookie path that continues a handshake after the listener has
 * verified its own cookie needs {@code --add-opens org.bouncycastle.tls/org.bouncycastle.tls=org.dtls4j.bouncycastle};
 * without it the provider falls back to BouncyCastle's own {@code DTLSVerifier} cookies.
 */
module org.dtls4j.bouncycastle {
    requires org.dtls4j;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.provider;
    requires static com.google.auto.service;

    provides org.dtls4j.spi.DtlsProvider with org.dtls4j.bouncycastle.BouncyCastleProvider;
}
