package org.dtls4j.interop;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK with an OpenSSL client and a BouncyCastle server. */
class OpenSslClientBouncyCastleServerTckTests implements DtlsTck {

    private final DtlsProvider client = Providers.named("openssl");
    private final DtlsProvider server = Providers.named("bouncycastle");

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
