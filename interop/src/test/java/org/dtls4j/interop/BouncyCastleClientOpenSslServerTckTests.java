package org.dtls4j.interop;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK with a BouncyCastle client and an OpenSSL server. */
class BouncyCastleClientOpenSslServerTckTests implements DtlsTck {

    private final DtlsProvider client = Providers.named("bouncycastle");
    private final DtlsProvider server = Providers.named("openssl");

    @Override
    public DtlsProvider provider() {
        return server;
    }

    @Override
    public DtlsProvider clientProvider() {
        return client;
    }

    @Override
    public DtlsProvider serverProvider() {
        return server;
    }
}
