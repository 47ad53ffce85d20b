package org.dtls4j.wolfssl;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK against the wolfSSL provider, both ends, once per version it declares (DTLS 1.2 and 1.3). */
class WolfSslTckTests implements DtlsTck {

    @Override
    public DtlsProvider provider() {
        return new WolfSslProvider();
    }
}
