package org.dtls4j.bouncycastle;

import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.ProtocolName;

/** ALPN names in BouncyCastle's form. Stateless. */
final class Alpn {

    private Alpn() {
    }

    /** The protocols as BouncyCastle's vector, or null (no extension) if there are none. */
    static Vector<ProtocolName> names(List<String> protocols) {
        if (protocols.isEmpty()) {
            return null;
        }
        Vector<ProtocolName> v = new Vector<>();
        for (String p : protocols) {
            v.add(ProtocolName.asUtf8Encoding(p));
        }
        return v;
    }
}
