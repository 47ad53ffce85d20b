package org.dtls4j.openssl;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.fuzz.SessionFuzzTargets;

/** The TCK's session fuzz targets on this provider's server sessions; seeds in {@code OpenSslSessionFuzzTestInputs/}. */
class OpenSslSessionFuzzTest implements SessionFuzzTargets {

    @Override
    public DtlsProvider provider() {
        return new OpenSslProvider();
    }
}
