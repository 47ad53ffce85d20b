package org.dtls4j.wolfssl;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.DtlsRole;
import org.dtls4j.DtlsSessionListener;
import org.dtls4j.spi.ClientHellos;
import org.dtls4j.spi.DtlsRecords;
import org.dtls4j.spi.HelloRetryCookies.ReturnedCookie;

/**
 * wolfSSL's stateless DTLS 1.3 cookie exchange behind the api's listener: the
 * HelloRetryRequest comes from wolfSSL itself, and the cookie a client returns in its second
 * ClientHello is checked here, in Java, before any session exists.
 *
 * <p>wolfSSL 5.9.2's cookie ({@code CreateCookieExt}, tls13.c) is its data (hash length, the
 * first ClientHello's hash, the cipher suite, the key_share group if it asked for one)
 * followed by HMAC-SHA256, under the secret given to {@code wolfSSL_send_hrr_cookie}, over
 * that data and the peer address given to {@code wolfSSL_dtls_set_peer}. So a cookie is bound
 * to the client's address by giving every server session whose first ClientHello offers 1.3
 * its peer's address ({@link #peerBytes}); and its age is bounded by rotating the secret every
 * {@link #ROTATION_NANOS}: a cookie verifies under the current secret or the one before, so it
 * lives at most twice that, 60 seconds, the default {@link org.dtls4j.CookieAuthority}'s limit.
 * The session made for a client whose cookie verified is given the secret that verified it
 * ({@link #secretFor}), so wolfSSL accepts the same cookie.
 *
 * <p>The HelloRetryRequest: a server session of the context is fed the ClientHello and closed
 * at once ({@link #helloRetryRequest}): wolfSSL answers a cookie-less DTLS 1.3 ClientHello
 * without keeping state, so nothing of it survives the call.
 *
 * <p>Thread-safe.
 */
final class Dtls13Cookies {

    /** How long one secret mints cookies. */
    static final long ROTATION_NANOS = 30_000_000_000L;
    private static final int MAC_LENGTH = 32;
    private static final int SERVER_HELLO = 2;

    private final WolfSslContext context;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<ClientHellos> readers = ThreadLocal.withInitial(ClientHellos::new);
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(Dtls13Cookies::newMac);
    private volatile Secrets secrets;

    /** The secret that mints cookies now and the one before it; immutable. */
    private record Secrets(byte[] current, byte[] previous, long since) {
    }

    Dtls13Cookies(WolfSslContext context, LongSupplier nanoClock) {
        this.context = context;
        this.clock = nanoClock;
        this.secrets = new Secrets(newSecret(), newSecret(), nanoClock.getAsLong());
    }

    /** The secret cookies are minted under now. */
    byte[] currentSecret() {
        return secrets().current();
    }

    /**
     * wolfSSL's HelloRetryRequest for a cookie-less DTLS 1.3 ClientHello from {@code client},
     * copied out of a session made, fed and closed here; empty if wolfSSL answered otherwise
     * (or not at all, as for the first fragment of a fragmented ClientHello).
     */
    List<ByteBuffer> helloRetryRequest(ByteBuffer clientHello, InetSocketAddress client) {
        List<ByteBuffer> out = new ArrayList<>(1);
        WolfSslSession minter = WolfSslSession.create(context, DtlsRole.SERVER, client, new DtlsSessionListener() {
            @Override
            public void onDatagram(ByteBuffer datagram) {
                out.add(ByteBuffer.allocate(datagram.remaining()).put(datagram).flip());
            }

            @Override
            public void onRecord(ByteBuffer record) {
                // a ClientHello carries no application data
            }
        }, null);
        try {
            minter.beginHandshake();
            minter.receive(clientHello.duplicate());
        } finally {
            minter.close();
        }
        if (out.isEmpty() || !startsWithServerHello(out.get(0))) {
            return List.of();
        }
        return out;
    }

    private static boolean startsWithServerHello(ByteBuffer d) {
        int p = d.position();
        return d.remaining() > DtlsRecords.HEADER_SIZE && DtlsRecords.contentType(d, p) == DtlsRecords.HANDSHAKE
                && DtlsRecords.epoch(d, p) == 0 && DtlsRecords.u8(d, p + DtlsRecords.HEADER_SIZE) == SERVER_HELLO;
    }

    /** Whether {@code datagram} (not consumed) starts with a ClientHello that offers DTLS 1.3. */
    boolean offersDtls13(ByteBuffer datagram) {
        ClientHellos reader = readers.get();
        return reader.read(datagram) == ClientHellos.Verdict.CLIENT_HELLO && reader.offersDtls13();
    }

    /** Checks the cookie a DTLS 1.3 ClientHello from {@code client} returns. */
    ReturnedCookie returnedCookie(ByteBuffer clientHello, InetSocketAddress client) {
        ClientHellos reader = readers.get();
        if (reader.read(clientHello) != ClientHellos.Verdict.CLIENT_HELLO) {
            return ReturnedCookie.ABSENT;
        }
        Optional<ByteBuffer> cookie = reader.retryCookie(clientHello);
        if (cookie.isEmpty()) {
            return ReturnedCookie.ABSENT;
        }
        return secretOf(cookie.get(), client) != null ? ReturnedCookie.VALID : ReturnedCookie.INVALID;
    }

    /**
     * The secret under which the cookie of the ClientHello that starts {@code datagram} was
     * minted for {@code client}, for the session made for it; empty if it returns no cookie
     * that verifies.
     */
    Optional<byte[]> secretFor(ByteBuffer datagram, InetSocketAddress client) {
        ClientHellos reader = readers.get();
        if (reader.read(datagram) != ClientHellos.Verdict.CLIENT_HELLO) {
            return Optional.empty();
        }
        return reader.retryCookie(datagram).map(c -> secretOf(c, client));
    }

    private byte[] secretOf(ByteBuffer cookie, InetSocketAddress client) {
        int n = cookie.remaining();
        if (n <= MAC_LENGTH) {
            return null;
        }
        Secrets s = secrets();
        byte[] peer = peerBytes(client);
        for (byte[] secret : new byte[][] {s.current(), s.previous()}) {
            if (macMatches(secret, cookie.duplicate(), peer)) {
                return secret;
            }
        }
        return null;
    }

    private boolean macMatches(byte[] secret, ByteBuffer cookie, byte[] peer) {
        Mac mac = macs.get();
        try {
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused a 32-byte key", e);
        }
        int dataEnd = cookie.limit() - MAC_LENGTH;
        ByteBuffer data = cookie.duplicate().limit(dataEnd);
        mac.update(data);
        mac.update(peer);
        byte[] expected = mac.doFinal();
        byte[] actual = new byte[MAC_LENGTH];
        cookie.duplicate().position(dataEnd).get(actual);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * The bytes a server session gives {@code wolfSSL_dtls_set_peer} for {@code client}: its
     * address and port. wolfSSL only copies them and feeds them to the cookie MAC (its own
     * socket I/O, which reads them as a {@code sockaddr}, is replaced by this provider's).
     */
    static byte[] peerBytes(InetSocketAddress client) {
        byte[] address = client.getAddress().getAddress();
        return ByteBuffer.allocate(address.length + 2).put(address).putShort((short) client.getPort()).array();
    }

    private Secrets secrets() {
        Secrets s = secrets;
        long now = clock.getAsLong();
        if (now - s.since() < ROTATION_NANOS) {
            return s;
        }
        synchronized (this) {
            s = secrets;
            if (now - s.since() >= ROTATION_NANOS) {
                // a gap of more than one period leaves nothing the previous secret may still verify
                byte[] previous = now - s.since() < 2 * ROTATION_NANOS ? s.current() : newSecret();
                s = new Secrets(newSecret(), previous, now);
                secrets = s;
            }
            return s;
        }
    }

    private byte[] newSecret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
