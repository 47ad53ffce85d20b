/** The dtls4j provider over the native wolfSSL library through JNA. */
module org.dtls4j.wolfssl {
    requires org.dtls4j;
    requires com.sun.jna;
    requires static com.google.auto.service;

    provides org.dtls4j.spi.DtlsProvider with org.dtls4j.wolfssl.WolfSslProvider;
}
