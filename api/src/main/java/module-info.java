/**
 * dtls4j: one DTLS API for Java with interchangeable backends.
 *
 * <p>Users import {@code org.dtls4j}; provider authors implement {@code org.dtls4j.spi}.
 */
module org.dtls4j {
    exports org.dtls4j;
    exports org.dtls4j.spi;

    uses org.dtls4j.spi.DtlsProvider;
}
