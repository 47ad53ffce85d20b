package org.dtls4j.interop;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK with a BouncyCastle client and a JSSE server. */
class BouncyCastleClientJsseServerTckTests implements DtlsTck {

    private final DtlsProvider jsse = Providers.named("jsse");
    private final DtlsProvider bouncyCastle = Providers.named("bouncycastle");

    @Override
    public DtlsProvider provider() {
        return bouncyCastle;
    }

    @Override
    public DtlsProvider clientProvider() {
        return bouncyCastle;
    }

    @Override
    public DtlsProvider serverProvider() {
        return jsse;
    }
}
