package org.dtls4j.openssl;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK against the OpenSSL provider, both ends. */
class OpenSslTckTests implements DtlsTck {

    @Override
    public DtlsProvider provider() {
        return new OpenSslProvider();
    }
}
