package org.dtls4j.interop;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.DtlsTck;

/** The whole TCK with an OpenSSL client and a JSSE server. */
class OpenSslClientJsseServerTckTests implements DtlsTck {

    private final DtlsProvider jsse = Providers.named("jsse");
    private final DtlsProvider openSsl = Providers.named("openssl");

    @Override
    public DtlsProvider provider() {
        return openSsl;
    }

    @Override
    public DtlsProvider clientProvider() {
        return openSsl;
    }

    @Override
    public DtlsProvider serverProvider() {
        return jsse;
    }
}
