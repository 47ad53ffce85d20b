/** The dtls4j provider over the JDK's {@code SSLEngine}. */
module org.dtls4j.jsse {
    requires org.dtls4j;
    requires static com.google.auto.service;

    provides org.dtls4j.spi.DtlsProvider with org.dtls4j.jsse.JsseProvider;
}
