/**
 * dtls4j: one DTLS API for Java with interchangeable backends.
 *
 * <p>Users import {@code org.dtls4j}; provider authors implement {@code org.dtls4j.spi}.
 */
module org.dtls4j {
    exports org.dtls4j;
    exports org.dtls4j.spi;

    // JDK Flight Recorder events of the transport (TransportEvents); in every JDK image with JFR.
    requires jdk.jfr;

    uses org.dtls4j.spi.DtlsProvider;
}
