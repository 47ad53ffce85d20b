// Evidence for an open wolfSSL defect (docs/FUZZING.md, "Open"): a DTLS 1.3 client that
// reconnects and resumes from the same address and port as its previous, closed session often
// fails: the server session fails the resuming handshake with illegal_parameter (the client
// reports "received fatal alert illegal_parameter: wolfSSL error -313"). From a new port each
// time, every resumption succeeds; OpenSSL and BouncyCastle pass both ways.
//
// Run from the repository root, after `mvn -B -q package -pl benchmarks -am -DskipTests`:
//   export DTLS4J_WOLFSSL_LIBRARY=$(scripts/wolfssl.sh --print-path)
//   java -cp benchmarks/target/dtls4j-benchmarks.jar docs/evidence/WolfSslSameAddressResumption.java wolfssl relay
//   java -cp benchmarks/target/dtls4j-benchmarks.jar docs/evidence/WolfSslSameAddressResumption.java wolfssl direct
// Seen here (2026-12-06): "relay" 5 to 11 of 30 connected (the rest failed on the server), "direct" 30 of 30.
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.dtls4j.Dtls;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsContext;
import org.dtls4j.DtlsServer;
import org.dtls4j.TransportOptions;
import org.dtls4j.spi.DtlsProvider;
import org.dtls4j.tck.TckPki;
import org.dtls4j.tck.UdpRelay;
import org.dtls4j.tck.peers.Echo;

public class WolfSslSameAddressResumption {
    public static void main(String[] args) throws Exception {
        DtlsProvider p = Dtls.provider(args[0]);
        boolean sameAddress = args[1].equals("relay");     // the relay's one upstream port: the same address each time
        try (DtlsContext s = p.newContext(TckPki.get().serverConfig().build());
             DtlsContext c = p.newContext(TckPki.get().clientConfig().build());
             DtlsServer server = DtlsServer.bind(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     TransportOptions.defaults(), new Echo());
             UdpRelay relay = new UdpRelay(server.localAddress())) {
            int ok = 0;
            for (int i = 0; i < 30; i++) {
                try (DtlsConnection conn = DtlsClient.connect(c, sameAddress ? relay.address() : server.localAddress(),
                        Duration.ofSeconds(5))) {
                    ok++;
                    System.out.println(i + " " + conn.info());
                } catch (RuntimeException e) {
                    System.out.println(i + " " + e);
                }
            }
            System.out.println(ok + " of 30 connected; server: " + server.stats());
        }
    }
}
