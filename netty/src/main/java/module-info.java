/** DTLS handlers for a Netty {@code DatagramChannel}, over any dtls4j provider. */
module org.dtls4j.netty {
    requires org.dtls4j;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;

    exports org.dtls4j.netty;
}
