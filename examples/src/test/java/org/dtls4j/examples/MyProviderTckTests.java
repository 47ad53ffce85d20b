package org.dtls4j.examples;

import org.dtls4j.Dtls;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.ApplicationDataContract;
import org.dtls4j.tck.HandshakeContract;

// README: provider-tck
/**
 * A provider author's first TCK run: two contracts while the provider grows, then
 * {@code implements DtlsTck} for all of them. Each contract runs once per protocol version the
 * provider declares.
 */
class MyProviderTckTests implements HandshakeContract, ApplicationDataContract {

    @Override
    public DtlsProvider provider() {
        return Dtls.provider("jsse");        // yours: return new MyProvider();
    }
}
// README: end
