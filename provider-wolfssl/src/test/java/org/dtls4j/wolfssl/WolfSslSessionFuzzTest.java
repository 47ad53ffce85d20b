package org.dtls4j.wolfssl;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.fuzz.SessionFuzzTargets;

/** The TCK's session fuzz targets on this provider's server sessions; seeds in {@code WolfSslSessionFuzzTestInputs/}. */
class WolfSslSessionFuzzTest implements SessionFuzzTargets {

    @Override
    public DtlsProvider provider() {
        return new WolfSslProvider();
    }
}
