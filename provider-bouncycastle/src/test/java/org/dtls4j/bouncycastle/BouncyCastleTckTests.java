package org.dtls4j.bouncycastle;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK on BouncyCastle at both ends. */
class BouncyCastleTckTests implements DtlsTck {

    private final DtlsProvider provider = new BouncyCastleProvider();

    @Override
    public DtlsProvider provider() {
        return provider;
    }
}
