package org.dtls4j.bouncycastle;

import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.fuzz.SessionFuzzTargets;

/** The TCK's session fuzz targets on this provider's server sessions; seeds in {@code BouncyCastleSessionFuzzTestInputs/}. */
class BouncyCastleSessionFuzzTest implements SessionFuzzTargets {

    @Override
    public DtlsProvider provider() {
        return new BouncyCastleProvider();
    }
}
