/** The dtls4j provider over the native libssl 3 through JNA. */
module org.dtls4j.openssl {
    requires org.dtls4j;
    requires com.sun.jna;
    requires static com.google.auto.service;

    provides org.dtls4j.spi.DtlsProvider with org.dtls4j.openssl.OpenSslProvider;
}
