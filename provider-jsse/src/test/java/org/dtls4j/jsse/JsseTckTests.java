package org.dtls4j.jsse;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The shared compatibility kit, run on this provider. */
class JsseTckTests implements DtlsTck {

    @Override
    public DtlsProvider provider() {
        return new JsseProvider();
    }
}
